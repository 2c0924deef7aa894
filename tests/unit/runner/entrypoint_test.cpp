#include <qa/runner/entrypoint.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <qa/runner/execute.hpp>
#include <qa/runner/python_dir.hpp>

#include "support/expect.hpp"
#include "support/project_fixture.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;
using qa::test::ScopedEnv;

// A project whose qaboard.yaml names an entrypoint and no command.
class EntrypointTest : public test::ProjectTest {
 protected:
  EntrypointTest() {
    commit({{"qaboard.yaml",
             "project:\n  name: acme/py\n  entrypoint: qa/main.py\ninputs: {database: data}\n"},
            {"qa/main.py", "def run(context):\n  return {'score': 1}\n"},
            {"data/in.txt", "input\n"}});
  }
};

TEST_F(EntrypointTest, TheSourceTreeModuleIsFoundWithoutSettings) {
  const auto dir = python_module_dir();
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_EQ(*dir, fs::path(k_source_python_dir));
  EXPECT_TRUE(fs::is_regular_file(*dir / k_entrypoint_runner));
  EXPECT_TRUE(fs::is_regular_file(*dir / "qaboard" / "config.py"));
}

TEST_F(EntrypointTest, QaPythonDirWinsAndMustHoldTheRunner) {
  const test::TempDir other;
  test::write_text(other / k_entrypoint_runner, "");
  {
    const ScopedEnv env("QA_PYTHON_DIR", other.path().string());
    const auto dir = python_module_dir();
    ASSERT_TRUE(dir) << dir.error().message;
    EXPECT_EQ(*dir, other.path());
  }
  const ScopedEnv env("QA_PYTHON_DIR", (other / "missing").string());
  const auto dir = python_module_dir();
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().kind, ErrorKind::environment);
  EXPECT_CONTAINS(dir.error().message, "QA_PYTHON_DIR");
  EXPECT_CONTAINS(dir.error().message, (other / "missing").string());
}

TEST_F(EntrypointTest, TheCommandRunsTheRunnerOnTheEntrypointWithForwardedArguments) {
  const auto command = entrypoint_command(m_context.config, {"a b", "--flag"});
  ASSERT_TRUE(command) << command.error().message;
  const std::string runner = (fs::path(k_source_python_dir) / k_entrypoint_runner).string();
  EXPECT_TRUE(command->starts_with("python3 -u ")) << *command;
  EXPECT_CONTAINS(*command, runner);
  EXPECT_CONTAINS(*command, (project() / "qa" / "main.py").string());
  EXPECT_TRUE(command->ends_with(" 'a b' --flag")) << *command;
}

TEST_F(EntrypointTest, AMissingEntrypointIsAConfigErrorNamingIt) {
  fs::remove(project() / "qa" / "main.py");
  const auto command = entrypoint_command(m_context.config, {});
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().kind, ErrorKind::config);
  EXPECT_CONTAINS(command.error().message, (project() / "qa" / "main.py").string());
  EXPECT_CONTAINS(command.error().message, "project.entrypoint");
  EXPECT_EQ(command.error().message.find('\n'), std::string::npos);
}

TEST_F(EntrypointTest, NoPython3IsAnEnvironmentError) {
  const test::TempDir empty;
  const ScopedEnv path("PATH", empty.path().string());
  const auto command = entrypoint_command(m_context.config, {});
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().kind, ErrorKind::environment);
  EXPECT_CONTAINS(command.error().message, "python3");
}

TEST_F(EntrypointTest, TheEnvironmentDescribesTheProject) {
  const auto env = entrypoint_environment(m_context);
  EXPECT_EQ(env.at("QA_PROJECT"), "acme/py");
  EXPECT_EQ(env.at("QA_BRANCH"), m_context.commit.branch.value_or(""));
  EXPECT_EQ(env.at("QA_OUTPUTS_COMMIT"), m_context.output_root.string());
  EXPECT_EQ(env.at("QA_PLATFORM"), "linux");
  const auto config = nlohmann::json::parse(env.at("QA_CONFIG_JSON"));
  EXPECT_EQ(config["project"]["entrypoint"], "qa/main.py");
}

TEST_F(EntrypointTest, TheConfigGivenToTheEntrypointHasNoStoreCredentials) {
  commit({{"qaboard.yaml",
           "project: {name: acme/py, entrypoint: qa/main.py}\n"
           "storage: https://user:s3cret@store.example/qa\n"}});
  const std::string config = entrypoint_environment(m_context).at("QA_CONFIG_JSON");
  EXPECT_EQ(config.find("s3cret"), std::string::npos) << config;
  EXPECT_EQ(nlohmann::json::parse(config)["storage"], "https://store.example/qa");
}

TEST_F(EntrypointTest, BuildCommandUsesTheEntrypointOnlyWithoutACommand) {
  auto spec = make_run_spec(m_context, "in.txt", nlohmann::json::array(), nlohmann::json::object(),
                            "default", std::nullopt);
  ASSERT_TRUE(spec) << spec.error().message;
  const auto command = build_command(m_context, *spec, {"x"});
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_TRUE(command->starts_with("python3 -u ")) << *command;

  commit({{"qaboard.yaml",
           "project: {name: acme/py, entrypoint: qa/main.py}\n"
           "inputs: {database: data}\nrun: {command: echo hi}\n"}});
  const auto shell = build_command(m_context, *spec, {});
  ASSERT_TRUE(shell) << shell.error().message;
  EXPECT_EQ(*shell, "echo hi");

  commit({{"qaboard.yaml", "project: {name: acme/py}\ninputs: {database: data}\n"}});
  const auto neither = build_command(m_context, *spec, {});
  ASSERT_FALSE(neither);
  EXPECT_EQ(neither.error().kind, ErrorKind::config);
  EXPECT_CONTAINS(neither.error().message, "\"project.entrypoint\"");
}

}  // namespace
}  // namespace qa::runner
