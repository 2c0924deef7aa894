#pragma once

#include <filesystem>
#include <string>

namespace qa::test {

// A real git repository made by a test, with a fixed identity and no system or user config.
class GitRepo {
 public:
  // Run `git init` in `dir` (created when missing) on branch `branch`.
  explicit GitRepo(std::filesystem::path dir, const std::string& branch = "main");

  // Run `git <args>` (a shell fragment) in the repository; return its stdout, trimmed. The test
  // fails when git fails.
  std::string git(const std::string& args) const;

  // Stage everything and commit with `message`; return the new commit's sha.
  std::string commit_all(const std::string& message) const;

  [[nodiscard]] std::string head() const;
  [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

 private:
  std::filesystem::path m_dir;
};

}  // namespace qa::test
