#include <qa/runner/progress.hpp>

#include <gtest/gtest.h>

#include "support/expect.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace qa::runner {
namespace {

using qa::test::contains;

// Make stderr a pseudo-terminal (in raw mode, so bytes arrive as written) for the lifetime of
// the object; read() returns what was written to it so far.
class StderrOnTerminal {
 public:
  StderrOnTerminal() {
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (m_master < 0 || ::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) {
      ADD_FAILURE() << "cannot open a pseudo-terminal";
      return;
    }
    const int slave = ::open(::ptsname(m_master), O_RDWR | O_NOCTTY);
    termios mode{};
    ::tcgetattr(slave, &mode);
    ::cfmakeraw(&mode);
    ::tcsetattr(slave, TCSANOW, &mode);
    ::fcntl(m_master, F_SETFL, O_NONBLOCK);
    std::fflush(stderr);
    m_saved = ::dup(STDERR_FILENO);
    ::dup2(slave, STDERR_FILENO);
    ::close(slave);
  }
  ~StderrOnTerminal() {
    restore();
    if (m_master >= 0) {
      ::close(m_master);
    }
  }
  StderrOnTerminal(const StderrOnTerminal&) = delete;
  StderrOnTerminal& operator=(const StderrOnTerminal&) = delete;

  // Put the real stderr back and return everything written to the terminal.
  std::string read() {
    restore();
    std::string text;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(m_master, buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  void restore() {
    if (m_saved >= 0) {
      std::fflush(stderr);
      ::dup2(m_saved, STDERR_FILENO);
      ::close(m_saved);
      m_saved = -1;
    }
  }

  int m_master = -1;
  int m_saved = -1;
};

TEST(ProgressTest, NothingIsDrawnWhenStderrIsNotATerminal) {
  ::testing::internal::CaptureStderr();
  {
    Progress progress(3);
    progress.finished(false);
    progress.finished(true);
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(ProgressTest, OnATerminalTheLineIsRedrawnInPlaceWithTheCounts) {
  StderrOnTerminal terminal;
  {
    Progress progress(2);
    progress.finished(false);
    progress.finished(true);
  }
  const std::string text = terminal.read();
  EXPECT_TRUE(text.starts_with("\r[0/2] 0 failed, 00:")) << text;
  EXPECT_CONTAINS(text, "\r[1/2] 0 failed, ");
  EXPECT_CONTAINS(text, " elapsed, ~");
  EXPECT_CONTAINS(text, " left\033[K");
  EXPECT_CONTAINS(text, "\r[2/2] 1 failed, ");
  // Only the unfinished lines estimate the time left; the destructor ends the line.
  const std::string last = text.substr(text.rfind('\r'));
  EXPECT_FALSE(contains(last, "left")) << last;
  EXPECT_TRUE(last.ends_with(" elapsed\033[K\n")) << last;
}

TEST(ProgressTest, NothingIsDrawnForAnEmptyPlan) {
  StderrOnTerminal terminal;
  { const Progress progress(0); }
  EXPECT_EQ(terminal.read(), "");
}

TEST(ProgressTest, RunsFinishingOnSeveralThreadsAreAllCounted) {
  StderrOnTerminal terminal;
  {
    Progress progress(40);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&progress, t] {
        for (int i = 0; i < 10; ++i) {
          progress.finished(t == 0 && i < 3);
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
  }
  EXPECT_CONTAINS(terminal.read(), "\r[40/40] 3 failed, ");
}

}  // namespace
}  // namespace qa::runner
