#pragma once

#include <cstddef>
#include <functional>

namespace qa::util {

// Call `body(begin, end)` on contiguous ranges that cover [0, `count`), from up to `threads`
// threads (0: one per core), and return when every call has returned. Ranges hold at least
// `min_chunk` items, so small counts run on the calling thread alone. `body` must not throw.
void parallel_for(std::size_t count, const std::function<void(std::size_t, std::size_t)>& body,
                  std::size_t threads = 0, std::size_t min_chunk = 256);

}  // namespace qa::util
