#include <qa/runner/run_cache.hpp>

#include <gtest/gtest.h>

#include <qa/runner/execute.hpp>
#include <qa/store/backend.hpp>

#include "support/project_fixture.hpp"

namespace qa::runner {
namespace {

// A project whose command counts its executions in a file outside the project.
class RunCacheTest : public test::ProjectTest {
 protected:
  void project_with(const std::string& deps, const std::string& more = "") {
    const std::string count = (m_tmp / "count").string();
    commit(
        {{"qaboard.yaml",
          "project: {name: acme/cache}\ninputs: {database: data}\nrun:\n"
          "  command: 'echo x >> " +
              count + " && cat {input_path} bin/tool.sh > {output_dir}/out.txt'\n" + deps + more},
         {"bin/tool.sh", "v1\n"},
         {"models/a.txt", "model a\n"},
         {"models/b.txt", "model b\n"},
         {"README.md", "docs\n"},
         {"data/in.txt", "input\n"}});
  }

  RunSpec spec(const nlohmann::json& params = nlohmann::json::object()) {
    auto made = make_run_spec(m_context, "in.txt", nlohmann::json::array(), params, "default",
                              std::nullopt);
    EXPECT_TRUE(made) << made.error().message;
    return *made;
  }

  std::string key_of(const RunSpec& run) {
    auto key = run_cache_key(m_context, run, {}, nullptr);
    EXPECT_TRUE(key) << key.error().message;
    EXPECT_TRUE(*key) << "run.deps is declared: a key";
    return key && *key ? **key : std::string();
  }

  core::RunRecord execute(const ExecuteOptions& options = {}, const RunSpec& run = {}) {
    auto record = execute_run(m_context, m_store, run.key.empty() ? spec() : run, options);
    EXPECT_TRUE(record) << record.error().message;
    return record ? *record : core::RunRecord{};
  }

  std::size_t executions() const {
    const std::string text = test::read_text(m_tmp / "count");
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
};

TEST_F(RunCacheTest, WithoutDepsThereIsNoKeyAndEveryRunRuns) {
  project_with("");
  const auto key = run_cache_key(m_context, spec(), {}, nullptr);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_FALSE(*key);
  EXPECT_EQ(execute().status, core::RunStatus::ok);
  commit({{"README.md", "more docs\n"}});
  const auto again = execute();
  EXPECT_EQ(again.status, core::RunStatus::ok);
  EXPECT_TRUE(again.cache_key.empty());
  EXPECT_EQ(executions(), 2U);
}

TEST_F(RunCacheTest, TheKeyFollowsWhatTheRunDependsOnAndNothingElse) {
  project_with("  deps: [bin/tool.sh]\n");
  const std::string first = key_of(spec());
  EXPECT_EQ(first.size(), 32U);
  commit({{"README.md", "more docs\n"}});
  EXPECT_EQ(key_of(spec()), first) << "a docs-only commit";
  EXPECT_NE(key_of(spec({{"strength", 2}})), first) << "a parameter";
  commit({{"data/in.txt", "another input\n"}});
  const std::string input_changed = key_of(spec());
  EXPECT_NE(input_changed, first);
  commit({{"bin/tool.sh", "v2\n"}});
  EXPECT_NE(key_of(spec()), input_changed) << "a dependency";
}

TEST_F(RunCacheTest, TheEnvironmentAndTheCommandArePartOfTheKey) {
  project_with("  deps: [bin/]\n");
  const std::string first = key_of(spec());
  const auto with_args = run_cache_key(m_context, spec(), {"--fast"}, nullptr);
  ASSERT_TRUE(with_args && *with_args);
  EXPECT_NE(**with_args, first) << "arguments appended to the command";
  project_with("  deps: [bin/]\n", "  env: {OMP_NUM_THREADS: '2'}\n");
  EXPECT_NE(key_of(spec()), first);
}

TEST_F(RunCacheTest, ADepThatMatchesNothingYetChangesTheKeyWhenAFileAppears) {
  project_with("  deps: ['plugins/*.so']\n");
  const std::string none = key_of(spec());
  commit({{"plugins/extra.so", "binary\n"}});
  EXPECT_NE(key_of(spec()), none);
}

TEST_F(RunCacheTest, PlaceholdersMakeARunDependOnItsOwnFiles) {
  project_with("  deps: ['models/{params.model}.txt']\n");
  const std::string a = key_of(spec({{"model", "a"}}));
  const std::string b = key_of(spec({{"model", "b"}}));
  commit({{"models/a.txt", "model a, retrained\n"}});
  EXPECT_NE(key_of(spec({{"model", "a"}})), a);
  EXPECT_EQ(key_of(spec({{"model", "b"}})), b) << "model b's runs do not depend on model a";
  const auto unknown = run_cache_key(m_context, spec(), {}, nullptr);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("\"model\""), std::string::npos)
      << unknown.error().message;
}

TEST_F(RunCacheTest, ADocsOnlyCommitReusesTheOutputsAndRunsNothing) {
  project_with("  deps: [bin/tool.sh]\n");
  const std::string first_commit = m_context.commit.key();
  const auto ran = execute();
  ASSERT_EQ(ran.status, core::RunStatus::ok);
  EXPECT_EQ(ran.cache_key.size(), 32U);
  commit({{"README.md", "more docs\n"}});
  const auto cached = execute();
  EXPECT_EQ(executions(), 1U) << "nothing ran";
  EXPECT_EQ(cached.status, core::RunStatus::cached);
  EXPECT_EQ(cached.cached_from, first_commit);
  EXPECT_EQ(cached.commit, m_context.commit.key());
  EXPECT_EQ(cached.files, ran.files);
  EXPECT_EQ(cached.metrics, ran.metrics);
  // Stored under this commit, as any run.
  const auto stored = m_store.get_run("acme/cache", m_context.commit.key(), cached.key);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->status, core::RunStatus::cached);
  // A third commit: still the first run's outputs, and still named after it.
  commit({{"README.md", "even more docs\n"}});
  EXPECT_EQ(execute().cached_from, first_commit);
  // --no-cache runs it.
  ExecuteOptions no_cache;
  no_cache.use_cache = UseCache::no;
  EXPECT_EQ(execute(no_cache).status, core::RunStatus::ok);
  EXPECT_EQ(executions(), 2U);
}

TEST_F(RunCacheTest, AMissingBlobMeansTheRunRuns) {
  project_with("  deps: [bin/tool.sh]\n");
  const auto ran = execute();
  ASSERT_EQ(ran.status, core::RunStatus::ok);
  ASSERT_TRUE(m_memory->remove_object(store::blob_rel_path(ran.files.at("out.txt").hash)));
  commit({{"README.md", "more docs\n"}});
  const auto again = execute();
  EXPECT_EQ(again.status, core::RunStatus::ok);
  EXPECT_EQ(executions(), 2U);
  EXPECT_TRUE(*m_memory->has_blob(ran.files.at("out.txt").hash)) << "stored again";
}

TEST_F(RunCacheTest, AFailedRunIsNeverReused) {
  project_with("  deps: [bin/tool.sh]\n");
  commit({{"qaboard.yaml",
           "project: {name: acme/cache}\ninputs: {database: data}\nrun:\n"
           "  command: 'echo x >> " +
               (m_tmp / "count").string() + " && exit 3'\n  deps: [bin/tool.sh]\n"}});
  EXPECT_EQ(execute().status, core::RunStatus::failed);
  commit({{"README.md", "more docs\n"}});
  EXPECT_EQ(execute().status, core::RunStatus::failed);
  EXPECT_EQ(executions(), 2U);
}

}  // namespace
}  // namespace qa::runner
