#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace qa::test {

// Base of the CLI tests: a temporary HOME, a project folder (with a space and a non-ASCII
// character in its path) holding a real git repository, and a store folder. Tools run as built,
// in a clean environment (no QA_*, CI or XDG variables).
class ToolTest : public ::testing::Test {
 protected:
  ToolTest();

  // Write `yaml` to the project's qaboard.yaml.
  void write_config(const std::string& yaml) const;

  // Run the tool `tool` (e.g. "qa-run") with `args` in `cwd` (default: the project), with the
  // store given by QA_STORE and `env` added to the clean environment.
  ProcessResult run_tool(const std::string& tool, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         const std::filesystem::path& cwd = {}) const;

  // Parse the single JSON line that `result` printed on stdout (fails the test otherwise).
  static nlohmann::json single_record(const ProcessResult& result);

  // Return the number of blobs in the store.
  [[nodiscard]] std::size_t blob_count() const;

  TempDir m_tmp;
  std::filesystem::path m_home;
  std::filesystem::path m_project;
  std::filesystem::path m_store;
  std::unique_ptr<GitRepo> m_repo;
};

// Return the path of a built tool.
std::filesystem::path tool_path(const std::string& tool);

}  // namespace qa::test
