#pragma once

#include <mutex>
#include <utility>

namespace qa::util {

// A slot through which a library reaches code that it does not link: the library that has the
// code fills it (from a tool's main, at start-up), the others read it. `T` is a std::function
// or a pointer: an empty one says that nothing filled the slot. Thread-safe.
template <typename T>
class Hook {
 public:
  // Make get() return `value` (replacing any earlier one).
  void set(T value) {
    const std::lock_guard lock(m_mutex);
    m_value = std::move(value);
  }

  // Return the value set last, or an empty `T` when nothing was set.
  [[nodiscard]] T get() const {
    const std::lock_guard lock(m_mutex);
    return m_value;
  }

 private:
  mutable std::mutex m_mutex;
  T m_value{};
};

}  // namespace qa::util
