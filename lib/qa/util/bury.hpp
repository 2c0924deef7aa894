#pragma once

#include <memory>
#include <utility>

namespace qa::util {

// Keep what `object` owns until the process ends instead of freeing it now. For the large
// structures a command builds just before it exits: freeing 200,000 records, a few million
// small blocks, takes longer than the exit itself, which hands the memory back to the system at
// once. What is kept stays reachable (leak checkers do not report it); a process that buries
// more than a few objects (tests that call a command many times) frees the oldest.
void bury(std::shared_ptr<void> object);

template <typename T>
void bury(T&& object) {
  bury(std::shared_ptr<void>(std::make_shared<std::decay_t<T>>(std::forward<T>(object))));
}

}  // namespace qa::util
