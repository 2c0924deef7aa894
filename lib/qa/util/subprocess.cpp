#include <qa/util/subprocess.hpp>

#include <qa/util/interrupt.hpp>
#include <qa/util/unique_fd.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qa::util {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The longest single wait, so that an interrupt or a deadline is noticed quickly.
constexpr milliseconds k_poll_interval{100};
// How long to wait between checks when the kernel has no pidfd_open (before Linux 5.3).
constexpr milliseconds k_fallback_interval{10};
// How long to keep killing what is left of a stopped process group before giving up.
constexpr milliseconds k_group_clear_limit{5000};

// Return `fd`, moved above stderr when it is 0, 1 or 2, so that the child's dup2 onto the standard
// descriptors never overwrites it. An invalid result leaves the reason in errno.
UniqueFd above_stdio(UniqueFd fd) {
  if (!fd || fd.get() > STDERR_FILENO) {
    return fd;
  }
  return UniqueFd(::fcntl(fd.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1));
}

// The steps the child takes between vfork and exec; a failing one is reported to the parent.
enum class ChildStep : int { none, setpgid, chdir, redirect, signals, exec };
constexpr std::array<const char*, 6> k_step_names = {
    "start", "setpgid", "chdir", "redirect output", "reset signals", "exec \"/bin/sh\""};

// What the child leaves in the parent's memory (shared until exec) when a step fails.
struct ChildFailure {
  ChildStep step = ChildStep::none;
  int error = 0;
};

// Everything the child needs, prepared before vfork so that the child does not allocate.
struct ChildPlan {
  const char* cwd = nullptr;
  int input_fd = -1;
  int log_fd = -1;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  pid_t parent_pid = 0;
  ChildFailure* failure = nullptr;
};

[[noreturn]] void report_and_exit(const ChildPlan& plan, ChildStep step) {
  plan.failure->error = errno;
  plan.failure->step = step;
  ::_exit(127);
}

// Runs in the vforked child, on the parent's memory while the parent waits: only
// async-signal-safe calls, no allocation, nothing written but `plan.failure`, until execve.
[[noreturn]] void run_child(const ChildPlan& plan) {
  if (::setpgid(0, 0) != 0) {
    report_and_exit(plan, ChildStep::setpgid);
  }
  // When qatools dies without a chance to clean up (kill -9), the shell dies with it rather than
  // write into an output folder that a rerun is about to reuse.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != plan.parent_pid) {
    ::_exit(127);  // the parent is already gone
  }
  // Every signal is blocked (by the parent, around vfork) until the handlers are reset: no
  // handler of qatools ever runs in the child.
  struct sigaction default_action {};  // zero-initialized: SIG_DFL, no flags
  sigemptyset(&default_action.sa_mask);
  for (int signal = 1; signal < NSIG; ++signal) {
    if (signal != SIGKILL && signal != SIGSTOP) {
      ::sigaction(signal, &default_action, nullptr);  // numbers reserved by libc fail harmlessly
    }
  }
  // Descriptors the caller opened without O_CLOEXEC must not leak into long-running commands.
  ::close_range(STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC);
  if (::chdir(plan.cwd) != 0) {
    report_and_exit(plan, ChildStep::chdir);
  }
  if (::dup2(plan.input_fd, STDIN_FILENO) < 0 || ::dup2(plan.log_fd, STDOUT_FILENO) < 0 ||
      ::dup2(plan.log_fd, STDERR_FILENO) < 0) {
    report_and_exit(plan, ChildStep::redirect);
  }
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) {
    report_and_exit(plan, ChildStep::signals);
  }
  ::execve("/bin/sh", plan.argv, plan.envp);
  report_and_exit(plan, ChildStep::exec);
}

// Start the child of `plan` with vfork: no copy of qatools' page tables (a fork of a large
// process costs more than the tiny command it runs), and the parent resumes once the child has
// called execve or exited. Return its pid, or -1 with errno set.
pid_t start_child(const ChildPlan& plan) {
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  const pid_t pid = ::vfork();
  if (pid == 0) {
    run_child(plan);
  }
  const int error = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return pid;
}

// Return the current environment with `overrides` replacing or adding variables, or an error
// when a name in `overrides` cannot be a variable name.
Expected<std::vector<std::string>> child_environment(
    const std::map<std::string, std::string>& overrides) {
  for (const auto& [name, value] : overrides) {
    if (name.empty() || name.find('=') != std::string::npos) {
      return fail("invalid environment variable name {}", qa::quote(name));
    }
  }
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!overrides.contains(std::string(text.substr(0, text.find('='))))) {
      result.emplace_back(text);
    }
  }
  for (const auto& [name, value] : overrides) {
    result.push_back(name + "=" + value);
  }
  return result;
}

// Wait at most `wait` for `pid` to exit, without reaping it; return true when it has exited (or
// can no longer be waited for, which the reaping wait4 then reports).
bool wait_for_exit(pid_t pid, const UniqueFd& pidfd, milliseconds wait) {
  if (pidfd) {
    pollfd entry{pidfd.get(), POLLIN, 0};
    ::poll(&entry, 1, static_cast<int>(wait.count()));  // EINTR just ends this wait early
  } else {
    std::this_thread::sleep_for(std::min(wait, k_fallback_interval));
  }
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno != EINTR;
  }
  return info.si_pid != 0;
}

// Return how long to wait from now until `deadline`, at most `k_poll_interval`, at least zero.
milliseconds time_left(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
  return std::clamp(left, milliseconds{0}, k_poll_interval);
}

// Why the wait for a command stopped before it exited by itself.
enum class Stop { none, timed_out, interrupted };

// Wait until `pid` exits, the optional `timeout` from `start` passes, or qatools is interrupted.
Stop watch(pid_t pid, const UniqueFd& pidfd, const std::optional<milliseconds>& timeout,
           Clock::time_point start) {
  const auto deadline = timeout ? start + *timeout : Clock::time_point::max();
  while (true) {
    const milliseconds wait = timeout ? time_left(deadline) : k_poll_interval;
    if (wait_for_exit(pid, pidfd, wait)) {
      return Stop::none;
    }
    if (interrupted()) {
      return Stop::interrupted;
    }
    if (timeout && Clock::now() >= deadline) {
      return Stop::timed_out;
    }
  }
}

// Send SIGTERM to the process group led by `pid`, then SIGKILL when `pid` has not exited after
// `grace`. Return the last signal sent.
int terminate_group(pid_t pid, const UniqueFd& pidfd, milliseconds grace) {
  ::kill(-pid, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (!wait_for_exit(pid, pidfd, time_left(deadline))) {
    if (Clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      return SIGKILL;
    }
  }
  return SIGTERM;
}

// Return true when a process of group `pgid` is still alive; zombies, which only wait to be
// reaped by their new parent, do not count.
bool group_has_live_process(pid_t pgid) {
  const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), &::closedir);
  if (!proc) {
    return false;
  }
  while (const dirent* entry = ::readdir(proc.get())) {
    const std::string_view name(entry->d_name);
    if (!std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    const std::string path = "/proc/" + std::string(name) + "/stat";
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    std::array<char, 1024> buffer{};
    const ssize_t size = fd ? ::read(fd.get(), buffer.data(), buffer.size() - 1) : -1;
    if (size <= 0) {
      continue;  // the process is already gone
    }
    // "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses.
    const std::string_view stat(buffer.data(), static_cast<size_t>(size));
    const size_t paren = stat.rfind(')');
    char state = 0;
    long parent = 0;
    long group = 0;
    if (paren != std::string_view::npos &&
        std::sscanf(buffer.data() + paren + 1, " %c %ld %ld", &state, &parent, &group) == 3 &&
        group == pgid && state != 'Z' && state != 'X') {
      return true;
    }
  }
  return false;
}

// Kill what is left of process group `pgid` once its leader has been reaped (children that
// outlived the shell, perhaps ignoring SIGTERM) and wait until none of them runs.
void clear_group(pid_t pgid) {
  const auto deadline = Clock::now() + k_group_clear_limit;
  while (::kill(-pgid, SIGKILL) == 0 && group_has_live_process(pgid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds{5});
  }
}

double seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

// Reap `pid` after it has started, wait4 giving its resource usage, and build the result.
Expected<CommandResult> wait_for_command(pid_t pid, const ShellCommand& command,
                                         Clock::time_point start) {
  const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  const Stop stop = watch(pid, pidfd, command.timeout, start);
  int last_signal = 0;
  if (stop != Stop::none) {
    last_signal = terminate_group(pid, pidfd, std::max(command.kill_grace, milliseconds{0}));
  }
  int status = 0;
  rusage usage{};
  pid_t reaped = 0;
  do {
    reaped = ::wait4(pid, &status, 0, &usage);
  } while (reaped < 0 && errno == EINTR);
  const int wait_error = errno;
  const auto end = Clock::now();
  if (stop != Stop::none) {
    clear_group(pid);
  }
  if (reaped < 0) {
    return fail("cannot wait for command in {}: {}", qa::quote(command.cwd.string()),
                std::strerror(wait_error));
  }

  CommandResult result;
  result.wall_s = std::chrono::duration<double>(end - start).count();
  result.user_s = seconds(usage.ru_utime);
  result.sys_s = seconds(usage.ru_stime);
  result.peak_rss_kb = usage.ru_maxrss;
  if (WIFSIGNALED(status)) {
    result.kind = ExitKind::signaled;
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  } else {
    result.exit_code = WEXITSTATUS(status);
  }
  if (stop != Stop::none) {
    result.kind = stop == Stop::timed_out ? ExitKind::timed_out : ExitKind::interrupted;
    // A shell that handled SIGTERM and exited still ended because of the signal sent to it.
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : last_signal;
    result.exit_code = 128 + result.signal;
  }
  return result;
}

}  // namespace

Expected<CommandResult> run_shell(const ShellCommand& command) {
  const std::string cwd = command.cwd.string();
  struct stat cwd_info {};
  if (::stat(cwd.c_str(), &cwd_info) != 0) {
    return fail("cannot run command in {}: {}", qa::quote(cwd), std::strerror(errno));
  }
  if (!S_ISDIR(cwd_info.st_mode)) {
    return fail("cannot run command in {}: not a folder", qa::quote(cwd));
  }
  QA_TRY_ASSIGN(std::vector<std::string> environment, child_environment(command.env));

  const std::string log_path = command.log_file.string();
  const UniqueFd log = above_stdio(UniqueFd(
      ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644)));
  if (!log) {
    // O_NOFOLLOW: a link put in the log's place (by an earlier command) is never written through.
    return fail("cannot open log file {}: {}", qa::quote(log_path),
                errno == ELOOP ? "it is a symbolic link" : std::strerror(errno));
  }
  const UniqueFd input = above_stdio(UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC)));
  if (!input) {
    return fail("cannot open \"/dev/null\": {}", std::strerror(errno));
  }

  std::string shell_name = "sh";
  std::string shell_flag = "-c";
  std::string shell_command = command.command;
  std::array<char*, 4> argv{shell_name.data(), shell_flag.data(), shell_command.data(), nullptr};
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (std::string& entry : environment) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  ChildFailure failure;
  const ChildPlan plan{cwd.c_str(), input.get(), log.get(), argv.data(),
                       envp.data(), ::getpid(),  &failure};

  const auto start = Clock::now();
  const pid_t pid = start_child(plan);
  if (pid < 0) {
    return fail("cannot run command in {}: vfork: {}", qa::quote(cwd), std::strerror(errno));
  }
  if (failure.step != ChildStep::none) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    const auto step = static_cast<size_t>(failure.step);
    return fail("cannot run command in {}: {}: {}", qa::quote(cwd),
                step < k_step_names.size() ? k_step_names[step] : "start",
                std::strerror(failure.error));
  }
  // The child set its group before execve, and the parent resumed only after that.
  return wait_for_command(pid, command, start);
}

}  // namespace qa::util
