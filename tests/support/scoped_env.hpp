#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace qa::test {

// Set (or, with nothing, unset) the environment variable `name` for the lifetime of the guard;
// its former value, or its absence, comes back afterwards. In-process tests of code that reads
// QA_*, CI and XDG variables use it so that the caller's environment cannot leak in.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::string name, const std::optional<std::string>& value = std::nullopt)
      : m_name(std::move(name)) {
    if (const char* old = std::getenv(m_name.c_str())) {
      m_old = old;
    }
    set(value);
  }
  ~ScopedEnv() { set(m_old); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(m_name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(m_name.c_str());
    }
  }

  std::string m_name;
  std::optional<std::string> m_old;
};

}  // namespace qa::test
