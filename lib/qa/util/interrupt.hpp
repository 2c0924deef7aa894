#pragma once

namespace qa::util {

// Install handlers for SIGINT and SIGTERM that only record the signal; long waits (subprocesses,
// worker pools) poll `interrupted()` and stop their children. Safe to call more than once.
void install_interrupt_handlers();

// Return true once SIGINT or SIGTERM has been received since `install_interrupt_handlers()`.
[[nodiscard]] bool interrupted();

// Return the first signal received (SIGINT or SIGTERM), or 0 when none was.
[[nodiscard]] int interrupt_signal();

// Forget a received signal: for tests, and for a runner that must still run its clean-up
// commands (subprocesses stop at once while a signal is pending).
void reset_interrupt();

}  // namespace qa::util
