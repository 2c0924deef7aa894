#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstring>

extern char** environ;

namespace qa::test {

namespace {

bool dropped(const std::string& name) {
  for (const char* prefix : {"QA_", "CI_", "GITHUB_", "SLURM_", "XDG_", "GIT_", "AWS_"}) {
    if (name.starts_with(prefix)) {
      return true;
    }
  }
  return name == "CI" || name == "HOME";
}

}  // namespace

std::map<std::string, std::string> clean_environment(const std::filesystem::path& home,
                                                     const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equal = text.find('=');
    if (equal != std::string::npos && !dropped(text.substr(0, equal))) {
      env[text.substr(0, equal)] = text.substr(equal + 1);
    }
  }
  env["HOME"] = home.string();
  env["GIT_CONFIG_NOSYSTEM"] = "1";
  for (const auto& [name, value] : extra) {
    env[name] = value;
  }
  return env;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          const std::map<std::string, std::string>& env,
                          const std::string& input) {
  std::array<int, 2> in_pipe{};
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (::pipe2(in_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(out_pipe.data(), O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe failed";
    return {};
  }
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& s : args) {
    argp.push_back(s.data());
  }
  argp.push_back(nullptr);
  const std::string dir = cwd.string();

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (::chdir(dir.c_str()) != 0) {
      ::_exit(126);
    }
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(in_pipe[1], input.data() + written, input.size() - written);
    if (n <= 0) {
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(in_pipe[1]);

  ProcessResult result;
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  int open_fds = 2;
  std::array<char, 65536> buffer{};
  while (open_fds > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      continue;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
        if (n <= 0) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        } else {
          (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
        }
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

int spawn_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env, const std::filesystem::path& out,
                  const std::filesystem::path& err) {
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& text : env_strings) {
    envp.push_back(text.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& text : args) {
    argp.push_back(text.data());
  }
  argp.push_back(nullptr);
  const std::string dir = cwd.string();
  const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (::chdir(dir.c_str()) != 0) {
      ::_exit(126);
    }
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  ::close(null_fd);
  return pid;
}

std::optional<int> wait_process(int pid, int timeout_ms) {
  for (int waited = 0;; waited += 10) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (waited >= timeout_ms) {
      return std::nullopt;
    }
    ::usleep(10000);
  }
}

std::string sh(const std::string& script, const std::filesystem::path& cwd) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equal = text.find('=');
    if (equal != std::string::npos) {
      env[text.substr(0, equal)] = text.substr(equal + 1);
    }
  }
  const auto result = run_process({"/bin/sh", "-c", script}, cwd, env);
  EXPECT_EQ(result.exit_code, 0) << "script failed: " << script << "\n" << result.err;
  return result.out;
}

}  // namespace qa::test
