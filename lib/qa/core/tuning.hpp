#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// A parameter search (QA-Board's `--tuning-search`):
//   {"parameter_search": {"k": [v1, v2], ...} | [{...}, {...}],
//    "search_type": "grid" | "sampler",
//    "search_options": {"n_iter": N, "seed": S}}
// grid: the cartesian product of each map (keys sorted, last fastest); a list of maps is the
// union of their grids. sampler: `n_iter` draws (default 10), each picking one value per key
// (from a map chosen at random when there are several), reproducible with `seed` (default 0).
// A value that is not a list is a list of one.

// Return the parameter patches of `search`, one per run; errors name what is malformed.
[[nodiscard]] Expected<std::vector<nlohmann::json>> tuning_points(const nlohmann::json& search);

// Read a `--tuning-search` argument: JSON text, or `@FILE` naming a JSON file.
[[nodiscard]] Expected<nlohmann::json> read_tuning_argument(std::string_view argument);

}  // namespace qa::core
