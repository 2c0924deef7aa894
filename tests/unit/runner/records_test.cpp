#include <qa/runner/records.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include <qa/core/run_record.hpp>

#include "support/project_fixture.hpp"

namespace qa::runner {
namespace {

// A project with two inputs and a batch of both, committed twice (the first commit tagged v1).
class RecordsTest : public test::ProjectTest {
 protected:
  RecordsTest() {
    m_first = commit({{"qaboard.yaml", R"(project: {name: acme/records}
inputs: {database: data, batches: batches.yaml}
run: {command: "true"}
)"},
                      {"batches.yaml", "both: {inputs: [a.txt, b.txt]}\n"},
                      {"data/a.txt", "a"},
                      {"data/b.txt", "b"}},
                     "first");
    m_repo.git("tag v1");
    commit({{"data/a.txt", "a2"}}, "second");
  }

  std::vector<std::string> plan_keys() {
    RecordQuery query = both();
    auto plan = make_plan(m_context, query.plan);
    EXPECT_TRUE(plan) << plan.error().message;
    std::vector<std::string> keys;
    for (const auto& spec : *plan) {
      keys.push_back(spec.key);
    }
    return keys;
  }

  // Store an ok record of `key` at the commit `sha`.
  void put(const std::string& sha, const std::string& key, const std::string& label = "default") {
    core::RunRecord record;
    record.project = m_context.config.name;
    record.commit = sha;
    record.key = key;
    record.label = label;
    record.input = key.substr(key.rfind('/') + 1);
    record.status = core::RunStatus::ok;
    ASSERT_TRUE(m_store.put_run(record, m_tmp.path()));
  }

  static RecordQuery both() {
    RecordQuery query;
    query.tool = "qa-test";
    query.plan.names = {"both"};
    return query;
  }

  // A pipe whose read end holds `text`, then end of file.
  int piped(const std::string& text) {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    EXPECT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fds[1]);
    m_fds.push_back(fds[0]);
    return fds[0];
  }

  ~RecordsTest() override {
    for (const int fd : m_fds) {
      ::close(fd);
    }
  }

  std::string m_first;
  std::vector<int> m_fds;
};

// Runs compare with --reference when given, else with their batch's reference:, else auto.
TEST(ReferenceGroupsTest, RunsAreGroupedByTheReferenceTheyCompareWith) {
  SelectedRecords selected;
  for (const std::string key : {"default/x/a", "default/x/b", "default/x/c", "default/x/d"}) {
    core::RunRecord record;
    record.key = key;
    selected.records.push_back(record);
    selected.planned.push_back(key);
  }
  selected.planned.push_back("default/x/e");  // planned, without record
  selected.batch_references = {
      {"default/x/b", "v1"}, {"default/x/d", "v1"}, {"default/x/e", "main"}};
  const auto groups = reference_groups(std::nullopt, selected);
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_EQ(groups[0].ref, "auto");
  EXPECT_EQ(groups[0].records, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(groups[0].planned, (std::vector<std::string>{"default/x/a", "default/x/c"}));
  EXPECT_EQ(groups[1].ref, "v1");
  EXPECT_EQ(groups[1].records, (std::vector<std::size_t>{1, 3}));
  const auto part = group_selection(selected, groups[1]);
  ASSERT_EQ(part.records.size(), 2U);
  EXPECT_EQ(part.records[1].key, "default/x/d");
  EXPECT_EQ(part.planned, (std::vector<std::string>{"default/x/b", "default/x/d"}));

  const auto given = reference_groups(std::string("v2"), selected);
  ASSERT_EQ(given.size(), 1U) << "--reference overrides every batch's";
  EXPECT_EQ(given[0].ref, "v2");
  EXPECT_EQ(given[0].records.size(), 4U);
  EXPECT_EQ(given[0].planned.size(), 5U);
  EXPECT_TRUE(reference_groups(std::nullopt, SelectedRecords{}).empty());

  // One reference is the check's reference as it is; several are listed with their runs.
  const nlohmann::json auto_choice = {{"requested", "auto"}, {"commit", "a"}};
  const nlohmann::json v1_choice = {{"requested", "v1"}, {"commit", "b"}};
  EXPECT_EQ(references_json(given, {auto_choice}), auto_choice);
  const auto both = references_json(groups, {auto_choice, v1_choice});
  EXPECT_EQ(both["commit"], "a");
  ASSERT_EQ(both["per_batch"].size(), 2U);
  EXPECT_EQ(both["per_batch"][1]["commit"], "b");
  EXPECT_EQ(both["per_batch"][1]["runs"], 2);
  EXPECT_EQ(references_json({}, {}), nlohmann::json::object());
}

TEST_F(RecordsTest, PipedRecordsAreTheAnswerWithoutBatchesPlannedOnesLeftOut) {
  core::RunRecord ok;
  ok.project = "acme/records";
  ok.commit = m_context.commit.key();
  ok.key = "default/base/a.txt";
  ok.input = "a.txt";
  ok.status = core::RunStatus::ok;
  core::RunRecord planned = ok;
  planned.key = "default/base/b.txt";
  planned.status = core::RunStatus::planned;
  RecordQuery query;
  query.tool = "qa-test";
  query.stdin_fd = piped(core::to_json(ok).dump() + "\n\n" + core::to_json(planned).dump() + "\n");
  const auto selected = select_records(m_context, m_store, query);
  ASSERT_TRUE(selected) << selected.error().message;
  ASSERT_EQ(selected->records.size(), 1U);
  EXPECT_EQ(selected->records[0].key, "default/base/a.txt");
  EXPECT_TRUE(selected->planned.empty());
  EXPECT_TRUE(selected->commit.empty());
}

TEST_F(RecordsTest, NothingPipedIntoATerminalIsAUsageErrorSayingWhatToGive) {
  const int terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  m_fds.push_back(terminal);
  ASSERT_EQ(::isatty(terminal), 1);
  RecordQuery query;
  query.tool = "qa-test";
  query.stdin_fd = terminal;
  const auto selected = select_records(m_context, m_store, query);
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().kind, ErrorKind::usage);
  EXPECT_NE(selected.error().message.find("qa-batch BATCH | qa-test"), std::string::npos)
      << selected.error().message;
}

TEST_F(RecordsTest, ABadPipedLineIsAnErrorNamingIt) {
  RecordQuery query;
  query.tool = "qa-test";
  query.stdin_fd = piped("{\"schema\": \"qa.run/1\"}\n");
  const auto selected = select_records(m_context, m_store, query);
  ASSERT_FALSE(selected);
  EXPECT_NE(selected.error().message.find("stdin line 1"), std::string::npos)
      << selected.error().message;
}

TEST_F(RecordsTest, BatchesReadTheirPlanAtHeadAndWarnAboutMissingRuns) {
  const auto keys = plan_keys();
  ASSERT_EQ(keys.size(), 2U);
  put(m_context.commit.key(), keys[1]);
  put(m_first, keys[0]);  // another commit's record is not HEAD's
  RecordQuery query = both();
  query.stdin_fd = piped("ignored: batches are given");
  const auto selected = select_records(m_context, m_store, query);
  ASSERT_TRUE(selected) << selected.error().message;
  EXPECT_EQ(selected->planned, keys);
  EXPECT_EQ(selected->commit, m_context.commit.key());
  ASSERT_EQ(selected->records.size(), 1U);
  EXPECT_EQ(selected->records[0].key, keys[1]);
}

TEST_F(RecordsTest, AGateFailsOnAPlannedRunWithoutRecordNamingIt) {
  const auto keys = plan_keys();
  put(m_context.commit.key(), keys[1]);
  RecordQuery query = both();
  query.missing = MissingRuns::fail;
  const auto selected = select_records(m_context, m_store, query);
  ASSERT_FALSE(selected);
  EXPECT_NE(selected.error().message.find(quote(keys[0])), std::string::npos)
      << selected.error().message;
  EXPECT_NE(selected.error().message.find("qa-batch both"), std::string::npos);
}

TEST_F(RecordsTest, CommitNamesAnotherCommitByTagOrSha) {
  const auto keys = plan_keys();
  put(m_first, keys[0]);
  put(m_first, keys[1]);
  for (const std::string& ref : std::vector<std::string>{"v1", m_first, m_first.substr(0, 10)}) {
    RecordQuery query = both();
    query.commit = ref;
    query.missing = MissingRuns::fail;
    const auto selected = select_records(m_context, m_store, query);
    ASSERT_TRUE(selected) << ref << ": " << selected.error().message;
    EXPECT_EQ(selected->commit, m_first) << ref;
    EXPECT_EQ(selected->records.size(), 2U) << ref;
  }
  RecordQuery unknown = both();
  unknown.commit = "no-such-ref";
  const auto selected = select_records(m_context, m_store, unknown);
  ASSERT_FALSE(selected);
  EXPECT_NE(selected.error().message.find("no-such-ref"), std::string::npos);
}

TEST_F(RecordsTest, ACommitAloneOrIgnoredPipesListEveryRecordOfTheCommit) {
  put(m_context.commit.key(), "default/z/one");
  put(m_context.commit.key(), "default/a/two");
  put(m_first, "default/a/older");
  RecordQuery listed;
  listed.tool = "qa-test";
  listed.commit = "HEAD";
  RecordQuery ignored;
  ignored.tool = "qa-test";
  ignored.piped = PipedRecords::ignored;
  ignored.stdin_fd = piped("not records");
  for (const auto& query : {listed, ignored}) {
    const auto selected = select_records(m_context, m_store, query);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->records.size(), 2U);
    EXPECT_EQ(selected->records[0].key, "default/a/two") << "sorted by key";
    EXPECT_EQ(selected->records[1].key, "default/z/one");
    EXPECT_TRUE(selected->planned.empty());
  }
}

TEST_F(RecordsTest, ReferenceRecordsAddTheRunsOnlyTheReferenceHas) {
  put(m_first, "default/base/a.txt");
  put(m_first, "default/base/gone.txt");
  put(m_first, "other/base/a.txt", "other");
  SelectedRecords selected;
  selected.records.resize(1);
  selected.records[0].key = "default/base/a.txt";
  selected.records[0].label = "default";
  // Without a plan: the reference's runs of the same labels.
  auto references = reference_records(m_store, "acme/records", m_first, selected);
  ASSERT_TRUE(references) << references.error().message;
  std::vector<std::string> keys;
  for (const auto& record : *references) {
    keys.push_back(record.key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"default/base/a.txt", "default/base/gone.txt"}));
  // With a plan: only the planned keys.
  selected.planned = {"default/base/a.txt"};
  references = reference_records(m_store, "acme/records", m_first, selected);
  ASSERT_TRUE(references);
  ASSERT_EQ(references->size(), 1U);
  EXPECT_EQ(references->front().key, "default/base/a.txt");
}

}  // namespace
}  // namespace qa::runner
