#include <qa/runner/context.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/expect.hpp"
#include "support/git_fixture.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project in a real git repository, loaded with none of the caller's QA, CI or XDG settings.
class ContextTest : public ::testing::Test {
 protected:
  ContextTest() {
    test::write_text(m_project / "qaboard.yaml",
                     "project: {name: acme/demo}\n"
                     "inputs: {database: data}\n"
                     "run: {params: {strength: 1, mode: fast}}\n");
    test::write_text(m_project / "data/images/a.png", "a");
    test::write_text(m_project / "extra/e.png", "e");
    m_sha = m_repo.commit_all("first");
  }

  Expected<ProjectContext> load(const Overrides& overrides = {}) const {
    return load_project_context(m_project / "data/images", overrides);
  }

  test::TempDir m_tmp;
  fs::path m_project = m_tmp / "proj";
  test::GitRepo m_repo{m_project};
  std::string m_sha;
  test::ScopedCleanEnvironment m_clean;
  test::ScopedEnv m_xdg{"XDG_CACHE_HOME", (m_tmp / "cache").string()};
};

TEST_F(ContextTest, FindsTheConfigUpwardAndIdentifiesTheCommit) {
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(context->config.name, "acme/demo");
  EXPECT_EQ(context->config.root, m_project);
  EXPECT_EQ(context->commit.sha, m_sha);
  EXPECT_EQ(context->commit.branch, "main");
  EXPECT_FALSE(context->commit.dirty);
  EXPECT_EQ(context->output_root, m_project / "output");
  EXPECT_EQ(fs::path(context->store_location), m_tmp / "cache/qatools");

  test::write_text(m_project / "qaboard.yaml",
                   test::read_text(m_project / "qaboard.yaml") + "# edited\n");
  const auto dirty = load();
  ASSERT_TRUE(dirty) << dirty.error().message;
  EXPECT_TRUE(dirty->commit.dirty);
  EXPECT_EQ(dirty->commit.key(), m_sha + "-dirty");
}

TEST_F(ContextTest, TheStoreComesFromTheFlagThenQaStoreThenTheConfig) {
  test::write_text(m_project / "qaboard.yaml",
                   test::read_text(m_project / "qaboard.yaml") + "storage: shared-store\n");
  auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(fs::path(context->store_location), m_project / "shared-store");

  const test::ScopedEnv store("QA_STORE", "env/store");
  context = load();
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(fs::path(context->store_location), fs::current_path() / "env/store");

  context = load(Overrides{"memory://", std::nullopt});
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(context->store_location, "memory://");
}

TEST_F(ContextTest, OutputRootAndConfigFileCanBeOverridden) {
  const test::ScopedEnv output("QA_OUTPUT_ROOT", (m_tmp / "out/../elsewhere").string());
  test::write_text(m_project / "alt/qaboard.yaml", "project: {name: acme/alt}\n");
  const auto context = load(Overrides{std::nullopt, m_project / "alt/qaboard.yaml"});
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_EQ(context->config.name, "acme/alt");
  EXPECT_EQ(context->output_root, m_tmp / "elsewhere");
}

TEST_F(ContextTest, FailsWithoutConfigOutsideGitAndOnAnInvalidCiSha) {
  const auto no_config = load_project_context(m_tmp / "cache", {});
  ASSERT_FALSE(no_config);
  EXPECT_CONTAINS(no_config.error().message, "no qaboard.yaml found in");
  test::write_text(m_tmp / "nogit/qaboard.yaml", "project: {name: x}\n");
  const auto no_git = load_project_context(m_tmp / "nogit", {});
  ASSERT_FALSE(no_git);
  EXPECT_CONTAINS(no_git.error().message, "not a git repository");
  const test::ScopedEnv sha("CI_COMMIT_SHA", "not-a-sha");
  const auto context = load();
  ASSERT_FALSE(context);
  EXPECT_CONTAINS(context.error().message, "invalid commit sha \"not-a-sha\"");
}

TEST_F(ContextTest, RunSpecResolvesTheInputMergesParamsAndKeysWithoutRunParams) {
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  const json configs = json::parse(R"(["base", {"strength": 2}])");
  const auto spec = make_run_spec(*context, "images/a.png", configs, json{{"mode", "slow"}},
                                  "nightly", std::nullopt);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->input, "images/a.png");
  EXPECT_EQ(spec->rel_input_path, "images/a.png");
  EXPECT_EQ(spec->input_path, m_project / "data/images/a.png");
  EXPECT_EQ(spec->params, (json{{"strength", 2}, {"mode", "slow"}}));
  EXPECT_EQ(spec->label, "nightly");
  EXPECT_TRUE(spec->key.starts_with("nightly/")) << spec->key;
  EXPECT_EQ(spec->output_dir, context->output_root / spec->key);

  // The same run under other defaults (run.params) keeps its key; --param changes it.
  auto other = *context;
  other.config.run.params = json{{"strength", 7}};
  const auto same = make_run_spec(other, (m_project / "data/images/a.png").string(), configs,
                                  json{{"mode", "slow"}}, "nightly", m_tmp / "o/../here");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->key, spec->key);
  EXPECT_EQ(same->output_dir, m_tmp / "here");
  const auto changed = make_run_spec(*context, "images/a.png", configs, json{{"mode", "fast"}},
                                     "nightly", std::nullopt);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_NE(changed->key, spec->key);
}

TEST_F(ContextTest, RunSpecRefusesMissingOutsideAndInvalidInputs) {
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  const json none = json::array();
  const auto run = [&](std::string_view input, std::string_view label = "default") {
    const auto spec = make_run_spec(*context, input, none, json::object(), label, std::nullopt);
    EXPECT_FALSE(spec) << input;
    return spec ? std::string() : spec.error().message;
  };
  EXPECT_CONTAINS(run(""), "no input given");
  EXPECT_CONTAINS(run("images/b.png"), "input \"images/b.png\" not found in the database");
  EXPECT_CONTAINS(run("../extra/e.png"), "is not inside the database");
  EXPECT_CONTAINS(run("images/a.png", "bad label/x"), "invalid label \"bad label/x\"");
}

TEST_F(ContextTest, RunSpecRefusesTheDatabaseItself) {
  // `(database / ".").lexically_normal()` keeps a trailing separator ("/p/data/"): the check
  // must not depend on it.
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  for (const std::string_view input : {".", "images/..", "./"}) {
    const auto spec =
        make_run_spec(*context, input, json::array(), json::object(), "default", std::nullopt);
    ASSERT_FALSE(spec) << input << " gave the input " << spec->input;
    EXPECT_CONTAINS(spec.error().message, "is not inside the database");
  }
}

TEST_F(ContextTest, AnInputWhoseNameIsNotUtf8IsRefusedReadably) {
  test::write_text(m_project / "data/images/bad\xff.png", "b");
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  const auto spec = make_run_spec(*context, "images/bad\xff.png", json::array(), json::object(),
                                  "default", std::nullopt);
  ASSERT_FALSE(spec);
  EXPECT_CONTAINS(spec.error().message, "\"images/bad\\377.png\"");
  EXPECT_CONTAINS(spec.error().message, "not UTF-8");
}

TEST_F(ContextTest, BatchRunSpecNamesInputsOfAnotherDatabaseFromTheBestRoot) {
  const auto context = load();
  ASSERT_TRUE(context) << context.error().message;
  const auto spec = [&](const fs::path& database, const std::string& rel) {
    auto made =
        make_batch_run_spec(*context, database, rel, json::array(), json::object(), "default");
    EXPECT_TRUE(made) << made.error().message;
    return made ? made->input : std::string();
  };
  EXPECT_EQ(spec(m_project / "data/", "images/a.png"), "images/a.png");
  EXPECT_EQ(spec(m_project / "data/images", "a.png"), "images/a.png");
  EXPECT_EQ(spec(m_project / "extra", "e.png"), "extra/e.png");
  EXPECT_EQ(spec(m_tmp / "cache", "x.png"), (m_tmp / "cache/x.png").relative_path().string());
}

}  // namespace
}  // namespace qa::runner
