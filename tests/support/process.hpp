#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qa::test {

// What a finished process printed and how it ended.
struct ProcessResult {
  int exit_code = -1;  // 128 + signal when a signal ended it
  std::string out;
  std::string err;
};

// The environment of a test process: this process's environment without any QA_*, CI_*,
// GITHUB_*, SLURM_*, XDG_*, GIT_* and AWS_* variable, with HOME set to `home`; then `extra` on
// top.
std::map<std::string, std::string> clean_environment(const std::filesystem::path& home,
                                                     const std::map<std::string, std::string>& extra = {});

// Run `argv` (no shell) in `cwd` with exactly the environment `env`, feeding `input` on stdin,
// and wait for it.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          const std::map<std::string, std::string>& env,
                          const std::string& input = "");

// Start `argv` in `cwd` with the environment `env`, stdout to the file `out`, stderr to `err`
// and stdin from /dev/null, without waiting; return its pid.
int spawn_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env, const std::filesystem::path& out,
                  const std::filesystem::path& err);

// Wait up to `timeout_ms` for the process `pid` started by spawn_process; return its exit code
// (128 + signal when a signal ended it), or nothing when it is still running.
std::optional<int> wait_process(int pid, int timeout_ms);

// Run `script` under /bin/sh -c in `cwd` with the current environment; return its stdout. The
// test fails when the script exits non-zero.
std::string sh(const std::string& script, const std::filesystem::path& cwd);

}  // namespace qa::test
