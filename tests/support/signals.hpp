#pragma once

#include <signal.h>

#include <qa/util/interrupt.hpp>

namespace qa::test {

// Keep the test process's SIGINT and SIGTERM handling, and forget any recorded interrupt: a
// test may install qatools' handlers and send itself a signal.
class ScopedSignalHandlers {
 public:
  ScopedSignalHandlers() {
    ::sigaction(SIGINT, nullptr, &m_int);
    ::sigaction(SIGTERM, nullptr, &m_term);
  }
  ~ScopedSignalHandlers() {
    ::sigaction(SIGINT, &m_int, nullptr);
    ::sigaction(SIGTERM, &m_term, nullptr);
    util::reset_interrupt();
  }
  ScopedSignalHandlers(const ScopedSignalHandlers&) = delete;
  ScopedSignalHandlers& operator=(const ScopedSignalHandlers&) = delete;

 private:
  struct sigaction m_int {};
  struct sigaction m_term {};
};

}  // namespace qa::test
