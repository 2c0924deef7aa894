#include <qa/util/interrupt.hpp>

#include <gtest/gtest.h>

#include <csignal>

#include <signal.h>

namespace qa::util {
namespace {

// Keep the test process's SIGINT and SIGTERM handling, and forget any recorded interrupt.
class ScopedSignalHandlers {
 public:
  ScopedSignalHandlers() {
    ::sigaction(SIGINT, nullptr, &m_int);
    ::sigaction(SIGTERM, nullptr, &m_term);
    reset_interrupt();
  }
  ~ScopedSignalHandlers() {
    ::sigaction(SIGINT, &m_int, nullptr);
    ::sigaction(SIGTERM, &m_term, nullptr);
    reset_interrupt();
  }
  ScopedSignalHandlers(const ScopedSignalHandlers&) = delete;
  ScopedSignalHandlers& operator=(const ScopedSignalHandlers&) = delete;

 private:
  struct sigaction m_int {};
  struct sigaction m_term {};
};

TEST(InterruptTest, TheFirstSignalIsRecordedUntilReset) {
  const ScopedSignalHandlers restore;
  install_interrupt_handlers();
  EXPECT_FALSE(interrupted());
  EXPECT_EQ(interrupt_signal(), 0);
  ASSERT_EQ(std::raise(SIGTERM), 0);  // the process survives it
  EXPECT_TRUE(interrupted());
  EXPECT_EQ(interrupt_signal(), SIGTERM);
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_EQ(interrupt_signal(), SIGTERM);
  reset_interrupt();
  EXPECT_FALSE(interrupted());
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_EQ(interrupt_signal(), SIGINT);
}

TEST(InterruptTest, HandlersDoNotRestartBlockingCallsAndInstallOnce) {
  const ScopedSignalHandlers restore;
  install_interrupt_handlers();
  struct sigaction first {};
  ASSERT_EQ(::sigaction(SIGINT, nullptr, &first), 0);
  EXPECT_NE(first.sa_handler, SIG_DFL);
  EXPECT_NE(first.sa_handler, SIG_IGN);
  EXPECT_EQ(first.sa_flags & SA_RESTART, 0);
  install_interrupt_handlers();
  struct sigaction second {};
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &second), 0);
  EXPECT_EQ(second.sa_handler, first.sa_handler);
  struct sigaction again {};
  ASSERT_EQ(::sigaction(SIGINT, nullptr, &again), 0);
  EXPECT_EQ(again.sa_handler, first.sa_handler);
}

}  // namespace
}  // namespace qa::util
