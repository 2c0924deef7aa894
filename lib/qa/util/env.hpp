#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace qa::util {

// Return the value of the environment variable `name`, or nothing when it is unset or empty.
[[nodiscard]] inline std::optional<std::string> env_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

}  // namespace qa::util
