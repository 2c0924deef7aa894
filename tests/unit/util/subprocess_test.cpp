#include <qa/util/subprocess.hpp>

#include <qa/util/interrupt.hpp>

#include <gtest/gtest.h>

#include "support/signals.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace qa::util {
namespace {

using qa::test::read_text;
using qa::test::TempDir;
using qa::test::write_text;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

ShellCommand make_command(const TempDir& dir, std::string text) {
  ShellCommand command;
  command.command = std::move(text);
  command.cwd = dir.path();
  command.log_file = dir / "log.txt";
  return command;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Return true when `pid` exists and is not a zombie waiting to be reaped.
bool process_running(pid_t pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) {
    return false;
  }
  const char state = stat[paren + 2];
  return state != 'Z' && state != 'X';
}

// Return true once `pid` has stopped running, polling for up to `limit`.
bool wait_until_gone(pid_t pid, milliseconds limit = milliseconds{2000}) {
  const auto deadline = Clock::now() + limit;
  while (process_running(pid)) {
    if (Clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds{10});
  }
  return true;
}

// Wait up to 5 s for the command to write `path` (a pid), and return it.
pid_t read_pid(const std::filesystem::path& path) {
  const auto deadline = Clock::now() + milliseconds{5000};
  std::string text = trimmed(read_text(path));
  while (text.empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds{10});
    text = trimmed(read_text(path));
  }
  return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
}

using qa::test::ScopedEnv;
using qa::test::ScopedSignalHandlers;

TEST(RunShell, ExitZeroSucceeds) {
  TempDir dir;
  const auto result = run_shell(make_command(dir, "true"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kind, ExitKind::exited);
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->signal, 0);
  EXPECT_TRUE(result->succeeded());
  EXPECT_GE(result->wall_s, 0.0);
}

TEST(RunShell, ExitStatusIsReported) {
  TempDir dir;
  const auto result = run_shell(make_command(dir, "exit 3"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kind, ExitKind::exited);
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_FALSE(result->succeeded());
}

TEST(RunShell, StdoutAndStderrAreAppendedToTheLog) {
  TempDir dir;
  write_text(dir / "log.txt", "before\n");
  ASSERT_TRUE(run_shell(make_command(dir, "echo first-out; echo first-err >&2")));
  ASSERT_TRUE(run_shell(make_command(dir, "echo second-err >&2; echo second-out")));
  EXPECT_EQ(read_text(dir / "log.txt"), "before\nfirst-out\nfirst-err\nsecond-err\nsecond-out\n");
}

TEST(RunShell, StdinIsEmpty) {
  TempDir dir;
  auto command = make_command(dir, "cat > in.txt");
  command.timeout = milliseconds{5000};
  const auto result = run_shell(command);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  EXPECT_EQ(read_text(dir / "in.txt"), "");
}

TEST(RunShell, EnvironmentOverridesAndInheritedVariables) {
  TempDir dir;
  const ScopedEnv inherited("QA_SUBPROCESS_TEST_INHERITED", "from parent");
  const ScopedEnv overridden("QA_SUBPROCESS_TEST_OVERRIDDEN", "old");
  auto command = make_command(
      dir,
      "printf '%s|%s|%s\\n' \"$QA_SUBPROCESS_TEST_INHERITED\" \"$QA_SUBPROCESS_TEST_OVERRIDDEN\" "
      "\"$QA_SUBPROCESS_TEST_NEW\" > env.txt");
  command.env["QA_SUBPROCESS_TEST_OVERRIDDEN"] = "new";
  command.env["QA_SUBPROCESS_TEST_NEW"] = "a value with spaces é";
  const auto result = run_shell(command);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  EXPECT_EQ(read_text(dir / "env.txt"), "from parent|new|a value with spaces é\n");
}

TEST(RunShell, InvalidEnvironmentNameIsAnError) {
  TempDir dir;
  auto command = make_command(dir, "true");
  command.env["A=B"] = "x";
  const auto result = run_shell(command);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "invalid environment variable name \"A=B\"");
}

TEST(RunShell, RunsInCwd) {
  TempDir dir;
  std::filesystem::create_directories(dir / "work");
  auto command = make_command(dir, "pwd > out.txt");
  command.cwd = dir / "work";
  ASSERT_TRUE(run_shell(command));
  EXPECT_TRUE(
      std::filesystem::equivalent(trimmed(read_text(dir / "work" / "out.txt")), dir / "work"));
}

TEST(RunShell, CwdWithSpacesAndUnicode) {
  TempDir dir;
  const auto work = dir / "a folder ü 漢字";
  std::filesystem::create_directories(work);
  auto command = make_command(dir, "pwd > out.txt; echo ok");
  command.cwd = work;
  command.log_file = work / "log file ü.txt";
  const auto result = run_shell(command);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  EXPECT_TRUE(std::filesystem::equivalent(trimmed(read_text(work / "out.txt")), work));
  EXPECT_EQ(read_text(work / "log file ü.txt"), "ok\n");
}

TEST(RunShell, DescriptorsDoNotLeakIntoTheCommand) {
  TempDir dir;
  const int fd = ::open((dir / "held.txt").c_str(), O_WRONLY | O_CREAT, 0644);  // no O_CLOEXEC
  ASSERT_GE(fd, 0);
  const auto result = run_shell(make_command(
      dir, "if [ -e /proc/$$/fd/" + std::to_string(fd) + " ]; then exit 1; fi; exit 0"));
  ::close(fd);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
}

TEST(RunShell, TimeoutKillsTheWholeGroup) {
  TempDir dir;
  auto command = make_command(dir, "sleep 30 & echo $! > pid.txt; echo $$ > shell.txt; sleep 30");
  command.timeout = milliseconds{300};
  const auto start = Clock::now();
  const auto result = run_shell(command);
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kind, ExitKind::timed_out);
  EXPECT_EQ(result->signal, SIGTERM);
  EXPECT_EQ(result->exit_code, 128 + SIGTERM);
  EXPECT_FALSE(result->succeeded());
  EXPECT_LT(elapsed, milliseconds{5000});
  EXPECT_GE(result->wall_s, 0.3);
  const pid_t background = read_pid(dir / "pid.txt");
  const pid_t shell = read_pid(dir / "shell.txt");
  ASSERT_GT(background, 0);
  ASSERT_GT(shell, 0);
  EXPECT_TRUE(wait_until_gone(background));
  EXPECT_TRUE(wait_until_gone(shell));
}

TEST(RunShell, TimeoutEscalatesToSigkill) {
  TempDir dir;
  auto command = make_command(dir, "trap '' TERM; sleep 30");
  command.timeout = milliseconds{200};
  command.kill_grace = milliseconds{200};
  const auto start = Clock::now();
  const auto result = run_shell(command);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_LT(Clock::now() - start, milliseconds{5000});
  EXPECT_EQ(result->kind, ExitKind::timed_out);
  EXPECT_EQ(result->signal, SIGKILL);
  EXPECT_EQ(result->exit_code, 128 + SIGKILL);
}

TEST(RunShell, ChildIgnoringSigtermIsKilledAfterTheShellExits) {
  TempDir dir;
  // The shell dies from SIGTERM at once; its child ignores SIGTERM and outlives it.
  auto command = make_command(dir,
                              "sh -c \"trap '' TERM; echo \\$\\$ > inner.txt; sleep 30; true\" & "
                              "while [ ! -s inner.txt ]; do sleep 0.01; done; sleep 30");
  command.timeout = milliseconds{500};
  command.kill_grace = milliseconds{5000};
  const auto start = Clock::now();
  const auto result = run_shell(command);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_LT(Clock::now() - start, milliseconds{4000});
  EXPECT_EQ(result->kind, ExitKind::timed_out);
  EXPECT_EQ(result->signal, SIGTERM);
  const pid_t inner = read_pid(dir / "inner.txt");
  ASSERT_GT(inner, 0);
  EXPECT_TRUE(wait_until_gone(inner));
}

TEST(RunShell, NormalExitLeavesBackgroundChildrenAlone) {
  TempDir dir;
  const auto result = run_shell(make_command(dir, "sleep 30 & echo $! > pid.txt"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  const pid_t background = read_pid(dir / "pid.txt");
  ASSERT_GT(background, 0);
  EXPECT_TRUE(process_running(background));
  ::kill(background, SIGKILL);
  EXPECT_TRUE(wait_until_gone(background));
}

TEST(RunShell, SignalIsReported) {
  TempDir dir;
  const auto result = run_shell(make_command(dir, "kill -KILL $$"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kind, ExitKind::signaled);
  EXPECT_EQ(result->signal, SIGKILL);
  EXPECT_EQ(result->exit_code, 128 + SIGKILL);
  EXPECT_FALSE(result->succeeded());
}

TEST(RunShell, InterruptKillsTheCommand) {
  TempDir dir;
  const ScopedSignalHandlers restore;
  install_interrupt_handlers();
  install_interrupt_handlers();  // a second call changes nothing
  ASSERT_FALSE(interrupted());
  EXPECT_EQ(interrupt_signal(), 0);

  std::optional<Expected<CommandResult>> result;
  std::thread runner(
      [&] { result = run_shell(make_command(dir, "echo $$ > shell.txt; sleep 30")); });
  const pid_t shell = read_pid(dir / "shell.txt");
  const auto start = Clock::now();
  EXPECT_EQ(std::raise(SIGINT), 0);
  EXPECT_TRUE(interrupted());
  EXPECT_EQ(std::raise(SIGTERM), 0);
  EXPECT_EQ(interrupt_signal(), SIGINT);  // the first signal is remembered
  runner.join();
  EXPECT_LT(Clock::now() - start, milliseconds{2000});

  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(*result) << result->error().message;
  EXPECT_EQ((*result)->kind, ExitKind::interrupted);
  EXPECT_EQ((*result)->signal, SIGTERM);
  EXPECT_EQ((*result)->exit_code, 128 + SIGTERM);
  EXPECT_GT(shell, 0);
  EXPECT_TRUE(wait_until_gone(shell));

  reset_interrupt();
  EXPECT_FALSE(interrupted());
  EXPECT_EQ(interrupt_signal(), 0);
}

TEST(RunShell, ReportsPeakMemory) {
  TempDir dir;
  // The shell itself holds a 40 MB string.
  const auto result =
      run_shell(make_command(dir, "x=$(head -c 40000000 /dev/zero | tr '\\0' a); echo ${#x}"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  EXPECT_EQ(read_text(dir / "log.txt"), "40000000\n");
  EXPECT_GT(result->peak_rss_kb, 20000);
}

TEST(RunShell, ReportsCpuTime) {
  TempDir dir;
  const auto result =
      run_shell(make_command(dir, "i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done; echo $i"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->succeeded());
  EXPECT_EQ(read_text(dir / "log.txt"), "300000\n");
  EXPECT_GT(result->user_s + result->sys_s, 0.0);
  EXPECT_GE(result->wall_s, result->user_s * 0.5);
}

TEST(RunShell, MissingCwdIsAnError) {
  TempDir dir;
  auto command = make_command(dir, "true");
  command.cwd = dir / "missing";
  const auto result = run_shell(command);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "cannot run command in \"" + (dir / "missing").string() +
                                        "\": No such file or directory");
}

TEST(RunShell, CwdThatIsAFileIsAnError) {
  TempDir dir;
  write_text(dir / "file.txt", "x");
  auto command = make_command(dir, "true");
  command.cwd = dir / "file.txt";
  const auto result = run_shell(command);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "cannot run command in \"" + (dir / "file.txt").string() + "\": not a folder");
}

TEST(RunShell, LogFileInMissingFolderIsAnError) {
  TempDir dir;
  auto command = make_command(dir, "true");
  command.log_file = dir / "missing" / "log.txt";
  const auto result = run_shell(command);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "cannot open log file \"" +
                                        (dir / "missing" / "log.txt").string() +
                                        "\": No such file or directory");
}

}  // namespace
}  // namespace qa::util
