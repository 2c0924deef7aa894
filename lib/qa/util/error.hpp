#pragma once

#include <string>
#include <utility>

#include <fmt/core.h>
#include <tl/expected.hpp>

namespace qa {

// What kind of failure an Error is. The library says what went wrong; only `cli/` decides what
// a kind means for a tool's exit code (cli/exit_status.hpp), as ninja's exit_status.h does.
enum class ErrorKind {
  general,       // any other trouble: the default of `fail`
  usage,         // the command line is wrong (an option's value, a missing argument)
  config,        // a project file (qaboard.yaml, batches, metrics) is invalid
  environment,   // the machine is not as needed: not a git repository, no HOME, a store
                 // that cannot be opened or reached
  io,            // reading or writing a file failed
  check_failed,  // the check a tool exists for failed (outputs differ, a run failed)
  no_reference,  // no reference results to compare with
  interrupted,   // SIGINT or SIGTERM arrived
};

// An expected failure: a message in the project's style (lowercase, no final period, what failed
// first, then why: `cannot read "qaboard.yaml": line 7: unknown key "batchs"`) and its kind.
// Tools print it as `qa-<tool>: error: <message>` and exit with the code of its kind.
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::general;
};

template <typename T>
using Expected = tl::expected<T, Error>;

// Return an unexpected Error of kind general whose message is formatted from `format` and
// `args`.
template <typename... Args>
[[nodiscard]] tl::unexpected<Error> fail(fmt::format_string<Args...> format, Args&&... args) {
  return tl::unexpected<Error>(
      Error{fmt::format(format, std::forward<Args>(args)...), ErrorKind::general});
}

// The same with the kind `kind`: `fail_as(ErrorKind::usage, "invalid --shard {}", quote(s))`.
template <typename... Args>
[[nodiscard]] tl::unexpected<Error> fail_as(ErrorKind kind, fmt::format_string<Args...> format,
                                            Args&&... args) {
  return tl::unexpected<Error>(Error{fmt::format(format, std::forward<Args>(args)...), kind});
}

// Return `error` as the kind `kind` (for a caller that knows better what the failure means).
[[nodiscard]] inline tl::unexpected<Error> as_kind(ErrorKind kind, Error error) {
  error.kind = kind;
  return tl::unexpected<Error>(std::move(error));
}

// Return `error` with `context` put in front: "cannot open store: " + error.message.
[[nodiscard]] inline tl::unexpected<Error> with_context(std::string_view context, Error error) {
  error.message = fmt::format("{}: {}", context, error.message);
  return tl::unexpected<Error>(std::move(error));
}

// Quote a value for a message: `quote("a b")` is `"a b"`.
[[nodiscard]] inline std::string quote(std::string_view value) {
  return fmt::format("\"{}\"", value);
}

}  // namespace qa

#define QA_CONCAT_INNER(a, b) a##b
#define QA_CONCAT(a, b) QA_CONCAT_INNER(a, b)

// Evaluate `expr` (an Expected); on failure return its error from the enclosing function.
#define QA_TRY(expr)                                                         \
  do {                                                                       \
    auto&& qa_try_result_ = (expr);                                          \
    if (!qa_try_result_) {                                                   \
      return tl::unexpected<::qa::Error>(std::move(qa_try_result_).error()); \
    }                                                                        \
  } while (false)

// Evaluate `expr` (an Expected); on failure return its error, else declare or assign `lhs` from
// its value: `QA_TRY_ASSIGN(auto config, load_config(dir));`.
#define QA_TRY_ASSIGN(lhs, expr)                                                               \
  auto&& QA_CONCAT(qa_try_value_, __LINE__) = (expr);                                          \
  if (!QA_CONCAT(qa_try_value_, __LINE__)) {                                                   \
    return tl::unexpected<::qa::Error>(std::move(QA_CONCAT(qa_try_value_, __LINE__)).error()); \
  }                                                                                            \
  lhs = std::move(*QA_CONCAT(qa_try_value_, __LINE__))
