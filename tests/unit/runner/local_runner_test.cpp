#include <qa/runner/local_runner.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include <qa/runner/plan.hpp>

#include "support/forwarding_backend.hpp"
#include "support/project_fixture.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;

// A memory store whose document reads fail once `broken` is set.
class BrokenReads final : public test::ForwardingBackend {
 public:
  bool broken = false;

  [[nodiscard]] Expected<std::optional<std::string>> get_document(std::string_view rel) override {
    if (broken) {
      return fail("cannot read {}: connection reset", rel);
    }
    return memory.get_document(rel);
  }
};

// Three inputs; the command counts its runs in `runs.log` beside the project, and fails for the
// input named `bad.txt`.
class LocalRunnerTest : public test::ProjectTest {
 protected:
  LocalRunnerTest() {
    commit({{"qaboard.yaml", R"(project: {name: acme/local}
inputs: {database: data, batches: batches.yaml}
run:
  command: 'echo {rel_input_path} >> {project_root}/../runs.log; cp {input_path} {output_dir}/o; test {rel_input_path} != bad.txt'
)"},
            {"batches.yaml",
             "good: {inputs: [a.txt, b.txt, c.txt]}\nmixed: {inputs: [bad.txt, a.txt]}\n"},
            {"data/a.txt", "a"},
            {"data/b.txt", "b"},
            {"data/c.txt", "c"},
            {"data/bad.txt", "bad"}});
  }

  std::vector<RunSpec> plan(const std::string& batch) {
    PlanRequest request;
    request.names = {batch};
    auto specs = make_plan(m_context, request);
    EXPECT_TRUE(specs) << specs.error().message;
    return *specs;
  }

  BatchOutcome run(store::Store& store, const std::vector<RunSpec>& specs,
                   LocalRunOptions options = {}) {
    m_records.clear();
    options.jobs = options.jobs == 0 ? 2 : options.jobs;
    return run_local(m_context, store, specs, options, [this](const core::RunRecord& record) {
      const std::lock_guard lock(m_mutex);
      m_records.push_back(record);
    });
  }

  [[nodiscard]] std::size_t commands_run() const {
    const fs::path log = m_tmp / "runs.log";
    if (!fs::exists(log)) {
      return 0;
    }
    const std::string text = test::read_text(log);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }

  std::mutex m_mutex;
  std::vector<core::RunRecord> m_records;
};

TEST_F(LocalRunnerTest, EveryRunIsRecordedAndPassedToTheSinkOnce) {
  const auto specs = plan("good");
  const auto outcome = run(m_store, specs);
  EXPECT_EQ(outcome.ok, 3U);
  EXPECT_EQ(outcome.failed + outcome.skipped + outcome.errors, 0U);
  EXPECT_FALSE(outcome.interrupted);
  ASSERT_EQ(m_records.size(), 3U);
  for (const auto& spec : specs) {
    EXPECT_EQ(std::count_if(m_records.begin(), m_records.end(),
                            [&](const auto& r) { return r.key == spec.key; }),
              1)
        << spec.key;
    EXPECT_TRUE(m_store.get_run("acme/local", m_context.commit.key(), spec.key)->has_value());
  }
  EXPECT_EQ(commands_run(), 3U);
}

TEST_F(LocalRunnerTest, AFailedRunDoesNotStopTheOthersUnlessFailFast) {
  const auto specs = plan("mixed");
  const auto outcome = run(m_store, specs);
  EXPECT_EQ(outcome.failed, 1U);
  EXPECT_EQ(outcome.ok, 1U);
  LocalRunOptions fail_fast;
  fail_fast.jobs = 1;
  fail_fast.fail_fast = FailFast::yes;
  const auto stopped = run(m_store, specs, fail_fast);
  EXPECT_EQ(stopped.failed, 1U);
  EXPECT_EQ(stopped.ok, 0U) << "no run starts after the failure";
}

TEST_F(LocalRunnerTest, SkipPassesOnOkRecordsAndRunsTheRest) {
  const auto specs = plan("good");
  LocalRunOptions first_only;
  ASSERT_EQ(run(m_store, {specs[0]}, first_only).ok, 1U);
  LocalRunOptions skip;
  skip.on_existing = OnExisting::skip;
  const auto outcome = run(m_store, specs, skip);
  EXPECT_EQ(outcome.skipped, 1U);
  EXPECT_EQ(outcome.ok, 2U);
  EXPECT_EQ(m_records.size(), 3U) << "a skipped run's stored record is streamed too";
  EXPECT_EQ(commands_run(), 3U) << "the first run was not run again";
}

TEST_F(LocalRunnerTest, SkipNeverReRunsSilentlyWhenTheStoreCannotBeRead) {
  auto backend = std::make_unique<BrokenReads>();
  BrokenReads* broken = backend.get();
  store::Store store(std::move(backend));
  const auto specs = plan("good");
  ASSERT_EQ(run(store, specs).ok, 3U);
  ASSERT_EQ(commands_run(), 3U);
  broken->broken = true;
  LocalRunOptions skip;
  skip.on_existing = OnExisting::skip;
  const auto outcome = run(store, specs, skip);
  EXPECT_EQ(outcome.errors, 3U);
  EXPECT_EQ(outcome.ok + outcome.skipped + outcome.failed, 0U);
  EXPECT_TRUE(m_records.empty());
  EXPECT_EQ(commands_run(), 3U) << "no run was run again";
}

}  // namespace
}  // namespace qa::runner
