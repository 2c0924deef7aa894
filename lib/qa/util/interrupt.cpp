#include <qa/util/interrupt.hpp>

#include <atomic>
#include <csignal>

#include <signal.h>

namespace qa::util {

namespace {

// The first signal received, or 0. Written from the signal handler, so it must be lock-free.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

constexpr int k_handled_signals[] = {SIGINT, SIGTERM};

void record_signal(int signal) {
  int none = 0;
  g_signal.compare_exchange_strong(none, signal);
}

}  // namespace

void install_interrupt_handlers() {
  for (const int signal : k_handled_signals) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler == &record_signal) {
      continue;  // already installed
    }
    struct sigaction action {};
    action.sa_handler = &record_signal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking wait (poll, read) returns EINTR so its loop sees the signal.
    action.sa_flags = 0;
    sigaction(signal, &action, nullptr);
  }
}

bool interrupted() { return g_signal.load() != 0; }

int interrupt_signal() { return g_signal.load(); }

void reset_interrupt() { g_signal.store(0); }

}  // namespace qa::util
