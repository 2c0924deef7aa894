#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::runner {

// A slice of a plan: the runs whose plan index is `index` mod `count` (0 <= index < count).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

// Parse `I/N` (0-based I); `3/3`, `1/0` and other malformed text are errors naming the value.
[[nodiscard]] Expected<Shard> parse_shard(std::string_view text);

// Return the shard given by CI: CI_NODE_INDEX/CI_NODE_TOTAL (GitLab `parallel:`, 1-based), else
// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (minus SLURM_ARRAY_TASK_MIN when set); nothing
// when neither is set, or when only CI_NODE_TOTAL=1 is (GitLab sets it in every job).
[[nodiscard]] Expected<std::optional<Shard>> shard_from_environment();

// Return the positions in a plan of `size` runs that belong to `shard`.
[[nodiscard]] std::vector<std::size_t> shard_indices(std::size_t size, const Shard& shard);

}  // namespace qa::runner
