#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// One combination of a batch's `matrix`: the value of each variable, and the configurations of
// the `configurations` (or `configs`) dimension when the matrix has one.
struct MatrixCombination {
  nlohmann::json variables = nlohmann::json::object();
  nlohmann::json configs = nlohmann::json::array();
};

// The most runs a plan may hold (inputs x matrix combinations x tuning points): more is a typo or
// a runaway sweep, and expanding it would exhaust memory.
inline constexpr std::size_t k_max_plan_runs = 1'000'000;

// Return the combinations of `matrix` (a JSON object of key -> list of values; a single value
// counts as a list of one): the cartesian product with the keys in sorted order, the last key
// varying fastest. No matrix (null or empty) gives one empty combination. More than
// k_max_plan_runs combinations is an error saying the plan is too large.
[[nodiscard]] Expected<std::vector<MatrixCombination>> expand_matrix(const nlohmann::json& matrix);

// Replace `${matrix.KEY}` in every string of `value` by the value of KEY in `variables`;
// `${matrix.KEY[i]}`, `${matrix.KEY[field]}` and `${matrix.KEY.field}` index into lists and maps.
// A string that is exactly one placeholder takes the value's type (numbers stay numbers); in a
// longer string the value is written as text. A reference to an undefined key, index or field is
// an error naming it.
[[nodiscard]] Expected<nlohmann::json> substitute_matrix(const nlohmann::json& value,
                                                         const nlohmann::json& variables);

}  // namespace qa::core
