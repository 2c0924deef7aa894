#pragma once

#include <qa/util/error.hpp>

namespace qa::cli {

// The exit codes of every tool (SPEC section 5). Only `cli/` knows them: the library reports
// error kinds and verdicts, and this file says what each means for a process.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_check_failed = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_no_reference = 3;
inline constexpr int k_exit_interrupted = 130;

// Return the exit code of an error of kind `kind`: 1 for a failed check, 3 for missing reference
// results, 130 for an interrupt, else 2 (usage, configuration or environment trouble).
[[nodiscard]] constexpr int exit_code_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::check_failed:
      return k_exit_check_failed;
    case ErrorKind::no_reference:
      return k_exit_no_reference;
    case ErrorKind::interrupted:
      return k_exit_interrupted;
    case ErrorKind::general:
    case ErrorKind::usage:
    case ErrorKind::config:
    case ErrorKind::environment:
    case ErrorKind::io:
      break;
  }
  return k_exit_usage;
}

}  // namespace qa::cli
