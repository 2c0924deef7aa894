#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace qa::util {

// Whether a variable set to the empty string counts as set.
enum class EmptyIs { unset, value };

// Return the value of the environment variable `name`, or nothing when it is unset (or, unless
// `empty` is EmptyIs::value, empty). The one place that reads the environment.
[[nodiscard]] inline std::optional<std::string> env_value(const char* name,
                                                          EmptyIs empty = EmptyIs::unset) {
  const char* value = std::getenv(name);
  if (value == nullptr || (*value == '\0' && empty == EmptyIs::unset)) {
    return std::nullopt;
  }
  return std::string(value);
}

}  // namespace qa::util
