#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace qa::util {

// Reorder `items` so that position i holds what was at `order[i]` (`order`: a permutation of
// the positions of `items`). Each item is moved along the cycles of the permutation, once or
// twice: no second vector of items, which matters when they are large.
template <typename T>
void apply_permutation(std::vector<T>& items, const std::vector<std::size_t>& order) {
  std::vector<bool> placed(items.size(), false);
  for (std::size_t start = 0; start < items.size(); ++start) {
    if (placed[start] || order[start] == start) {
      continue;
    }
    T held = std::move(items[start]);
    std::size_t at = start;
    while (true) {
      placed[at] = true;
      const std::size_t from = order[at];
      if (from == start) {
        items[at] = std::move(held);
        break;
      }
      items[at] = std::move(items[from]);
      at = from;
    }
  }
}

}  // namespace qa::util
