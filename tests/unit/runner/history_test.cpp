#include <qa/runner/history.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/project_fixture.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;

// main: c1 - c2 - c3 - merge of side (s1 - s2, branched from c1) - c4. Results go into an
// in-memory store.
class BranchHistoryTest : public ::testing::Test {
 protected:
  BranchHistoryTest() {
    m_c1 = m_repo.commit_all("c1");
    m_c2 = m_repo.commit_all("c2");
    m_repo.git("checkout -q -b side " + m_c1);
    m_s1 = m_repo.commit_all("s1");
    m_s2 = m_repo.commit_all("s2");
    m_repo.git("checkout -q main");
    m_c3 = m_repo.commit_all("c3");
    m_repo.git("merge -q --no-ff side -m 'merge side'");
    m_merge = m_repo.head();
    m_c4 = m_repo.commit_all("c4");
    m_context.config.root = m_tmp / "repo";
    m_context.config.name = "acme/demo";
  }

  Expected<std::vector<BranchCommit>> commits(const fs::path& root, const std::string& branch,
                                              std::size_t limit = 100) {
    auto repository = git::Repository::discover(root);
    EXPECT_TRUE(repository) << repository.error().message;
    return branch_commits(&*repository, m_store, "acme/demo", branch, limit);
  }

  static std::vector<std::string> shas(const std::vector<BranchCommit>& commits) {
    std::vector<std::string> result;
    for (const auto& commit : commits) {
      result.push_back(commit.sha);
    }
    return result;
  }

  // Store an ok run of `key` at `commit`.
  void put_run(const std::string& commit, const std::string& key = "default/base/a.png") {
    core::RunRecord record;
    record.project = "acme/demo";
    record.commit = commit;
    record.key = key;
    record.label = key.substr(0, key.find('/'));
    record.input = "a.png";
    record.status = core::RunStatus::ok;
    ASSERT_TRUE(m_store.put_run(record, m_tmp.path()));
  }

  test::ScopedCleanEnvironment m_clean;
  test::TempDir m_tmp;
  test::GitRepo m_repo{m_tmp / "repo"};
  store::Store m_store = std::move(*store::Store::open("memory://"));
  ProjectContext m_context;
  std::string m_c1, m_c2, m_s1, m_s2, m_c3, m_merge, m_c4;
};

TEST_F(BranchHistoryTest, FirstParentsOnlyNewestFirstWithSubjectsAndDates) {
  const auto found = commits(m_tmp / "repo", "main");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(shas(*found), (std::vector<std::string>{m_c4, m_merge, m_c3, m_c2, m_c1}));
  EXPECT_EQ(found->front().subject.value_or(""), "c4");
  EXPECT_EQ(found->at(1).subject.value_or(""), "merge side");
  EXPECT_EQ(found->front().date.value_or("").size(), 20U);  // 2026-11-25T02:30:04Z
  EXPECT_EQ(found->front().source, CommitSource::git);
  // The limit counts commits, and a branch git knows needs no index.
  const auto limited = commits(m_tmp / "repo", "main", 2);
  ASSERT_TRUE(limited) << limited.error().message;
  EXPECT_EQ(shas(*limited), (std::vector<std::string>{m_c4, m_merge}));
  const auto side = commits(m_tmp / "repo", "side");
  ASSERT_TRUE(side) << side.error().message;
  EXPECT_EQ(shas(*side), (std::vector<std::string>{m_s2, m_s1, m_c1}));
}

TEST_F(BranchHistoryTest, AShallowCloneContinuesWithTheBranchIndexChain) {
  test::sh("git clone -q --depth 2 --branch main file://" + (m_tmp / "repo").string() + " clone",
           m_tmp.path());
  // The index went c1, c2, c3, c4: c3 is older than the clone's edge (the merge).
  ASSERT_TRUE(
      m_store.put_branch("acme/demo", store::BranchIndex{"main", m_c4, "", {m_c3, m_c2, m_c1}}));
  const auto found = commits(m_tmp / "clone", "main");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(shas(*found), (std::vector<std::string>{m_c4, m_merge, m_c3, m_c2, m_c1}));
  EXPECT_EQ(found->at(1).source, CommitSource::git);
  EXPECT_EQ(found->at(2).source, CommitSource::branch_index);
  EXPECT_FALSE(found->at(2).subject.has_value());
  EXPECT_FALSE(found->at(2).date.has_value());
  // Without an index, the history is what the clone has.
  auto repository = git::Repository::discover(m_tmp / "clone");
  ASSERT_TRUE(repository) << repository.error().message;
  auto empty = std::move(*store::Store::open("memory://"));
  const auto alone = branch_commits(&*repository, empty, "acme/demo", "main", 100);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_EQ(shas(*alone), (std::vector<std::string>{m_c4, m_merge}));
}

TEST_F(BranchHistoryTest, WithoutGitTheChainOfTheIndexIsTheHistory) {
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"release", m_c3, "", {m_c1}}));
  const auto found = branch_commits(nullptr, m_store, "acme/demo", "release", 100);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(shas(*found), (std::vector<std::string>{m_c3, m_c1}));
  // A branch git lacks is read from the index too.
  const auto from_index = commits(m_tmp / "repo", "release");
  ASSERT_TRUE(from_index) << from_index.error().message;
  EXPECT_EQ(shas(*from_index), (std::vector<std::string>{m_c3, m_c1}));
}

TEST_F(BranchHistoryTest, AnUnknownBranchIsAUsageErrorNamingIt) {
  const auto found = commits(m_tmp / "repo", "nope<x>");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().kind, ErrorKind::usage);
  EXPECT_EQ(found.error().message,
            "unknown branch \"nope<x>\": neither git nor the store's branch index knows it");
}

TEST_F(BranchHistoryTest, GapsBetweenCommitsWithResultsAreKeptOlderOnesLeftOut) {
  put_run(m_c4);
  put_run(m_c3);  // the merge is a gap
  put_run(m_c2);
  put_run(m_s2);  // never reached: second parent of the merge
  HistoryQuery query;
  query.branch = "main";
  query.last = 2;
  auto history = branch_history(m_context, m_store, query);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->entries.size(), 3U);
  EXPECT_EQ(history->entries[0].commit.sha, m_c4);
  EXPECT_EQ(history->entries[1].commit.sha, m_merge);
  EXPECT_TRUE(history->entries[1].records.empty());
  EXPECT_EQ(history->entries[2].commit.sha, m_c3);
  EXPECT_EQ(history->entries[0].records.size(), 1U);
  // Every commit with results, and not c1, which is older than the oldest with results.
  query.last = 20;
  history = branch_history(m_context, m_store, query);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->entries.size(), 4U);
  EXPECT_EQ(history->entries.back().commit.sha, m_c2);
  EXPECT_EQ(history->examined, 5U);
}

TEST(HistoryWalkLimit, AtLeast200AndTenTimesTheCommitsAsked) {
  EXPECT_EQ(history_walk_limit(1), 200U);
  EXPECT_EQ(history_walk_limit(50), 500U);
}

// A project with a batch of two inputs, for the BATCH filter.
class BatchHistoryTest : public test::ProjectTest {
 protected:
  BatchHistoryTest() {
    m_first = commit({{"qaboard.yaml", R"(project: {name: acme/history}
inputs: {database: data, batches: batches.yaml}
run: {command: "true"}
)"},
                      {"batches.yaml", "both: {inputs: [a.txt, b.txt]}\none: {inputs: [a.txt]}\n"},
                      {"data/a.txt", "a"},
                      {"data/b.txt", "b"}},
                     "first");
    m_second = commit({{"data/a.txt", "a2"}}, "second");
  }

  std::vector<std::string> plan_keys(const std::string& batch) {
    PlanRequest request;
    request.names = {batch};
    auto plan = make_plan(m_context, request);
    EXPECT_TRUE(plan) << plan.error().message;
    std::vector<std::string> keys;
    for (const auto& spec : *plan) {
      keys.push_back(spec.key);
    }
    return keys;
  }

  void put(const std::string& sha, const std::string& key) {
    core::RunRecord record;
    record.project = m_context.config.name;
    record.commit = sha;
    record.key = key;
    record.label = key.substr(0, key.find('/'));
    record.input = key.substr(key.rfind('/') + 1);
    record.status = core::RunStatus::ok;
    ASSERT_TRUE(m_store.put_run(record, m_tmp.path()));
  }

  std::string m_first;
  std::string m_second;
};

TEST_F(BatchHistoryTest, BatchesLimitEachCommitToTheirRuns) {
  const auto both = plan_keys("both");
  const auto one = plan_keys("one");
  ASSERT_EQ(both.size(), 2U);
  ASSERT_EQ(one.size(), 1U);
  for (const auto& key : both) {
    put(m_first, key);
    put(m_second, key);
  }
  put(m_second, "other/base/x.txt");
  HistoryQuery query;
  query.branch = "main";
  auto history = branch_history(m_context, m_store, query);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->entries.size(), 2U);
  EXPECT_EQ(history->entries[0].records.size(), 3U);  // every run of the commit
  query.plan.names = {"one"};
  history = branch_history(m_context, m_store, query);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->entries.size(), 2U);
  ASSERT_EQ(history->entries[0].records.size(), 1U);
  EXPECT_EQ(history->entries[0].records[0].key, one[0]);
  EXPECT_EQ(history->entries[1].commit.sha, m_first);
}

}  // namespace
}  // namespace qa::runner
