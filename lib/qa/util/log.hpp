#pragma once

#include <string>
#include <string_view>

#include <fmt/core.h>

namespace qa::util::log {

enum class Level { debug, info, warning };

// Set the name in front of every message (`qa-run`) and the lowest level printed (default info).
void configure(std::string_view program, Level level);

[[nodiscard]] const std::string& program();
[[nodiscard]] bool enabled(Level level);

// Print `message` on stderr as `<program>: <message>` (info), `<program>: warning: ...` or
// `<program>: debug: ...`, one line, when `level` is enabled.
void write(Level level, std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::debug)) {
    write(Level::debug, fmt::format(format, std::forward<Args>(args)...));
  }
}

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::info)) {
    write(Level::info, fmt::format(format, std::forward<Args>(args)...));
  }
}

template <typename... Args>
void warning(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::warning, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace qa::util::log
