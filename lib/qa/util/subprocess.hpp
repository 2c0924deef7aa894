#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <qa/util/error.hpp>

namespace qa::util {

// What to run: `command` under `/bin/sh -c`, in `cwd`, with the current environment plus `env`
// (which overrides variables of the same name), stdout and stderr appended to `log_file`.
struct ShellCommand {
  std::string command;
  std::filesystem::path cwd;
  std::map<std::string, std::string> env;
  std::filesystem::path log_file;
  // After this long the whole process group is sent SIGTERM, then SIGKILL after `kill_grace`.
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds kill_grace{2000};
};

// How a command ended.
enum class ExitKind {
  exited,       // it exited by itself: `exit_code` holds its status
  signaled,     // a signal killed it: `signal` holds the signal
  timed_out,    // it ran past `timeout` and its process group was killed
  interrupted,  // qatools received SIGINT/SIGTERM and killed its process group
};

// The outcome of a command: how it ended, and the resources of the shell and every descendant
// that was waited for (rusage of the child), wall time measured from vfork to reap.
struct CommandResult {
  ExitKind kind = ExitKind::exited;
  int exit_code = 0;  // the exit status when `kind` is exited, else 128 + signal
  int signal = 0;
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  long peak_rss_kb = 0;

  [[nodiscard]] bool succeeded() const { return kind == ExitKind::exited && exit_code == 0; }
};

// Run `command` to completion, in its own process group. Return its outcome, or an error when it
// could not be started (log file not writable, cwd missing, vfork failure). A timeout or an
// interrupt (see interrupt.hpp) kills the whole process group, children included, and waits for
// it; no process of the group is left running when this returns.
[[nodiscard]] Expected<CommandResult> run_shell(const ShellCommand& command);

}  // namespace qa::util
