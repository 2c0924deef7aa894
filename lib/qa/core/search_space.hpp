#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <qa/core/yaml_schema.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// The parameters an optimization searches: the `search_space` of QA-Board's optimization file,
// which is scikit-optimize's YAML form (`skopt.Space.from_yaml`), a list of one-key maps:
//
//   search_space:
//     - Real:        {name: sigma, low: 0.1, high: 10, prior: log-uniform}
//     - Integer:     {name: radius, low: 1, high: 7}
//     - Categorical: {name: mode, categories: [fast, fine]}
//
// As in scikit-optimize, the kinds and their keys are read case-insensitively (`real`, `LOW`).
// `low` and `high` are both included; `prior` is `uniform` (default) or `log-uniform` (then
// `low` must be positive). The keys that only tune scikit-optimize's own model (`base`,
// `transform`, `dtype`, a Categorical's `prior` probabilities) are accepted and ignored, with a
// notice. Every dimension needs a `name`, unique in the space: it is the parameter's key.

enum class DimensionKind { real, integer, categorical };
enum class Prior { uniform, log_uniform };

struct Dimension {
  std::string name;
  DimensionKind kind = DimensionKind::real;
  Prior prior = Prior::uniform;
  double low = 0;   // real and integer
  double high = 0;  // real and integer; integer bounds are whole numbers
  nlohmann::json categories = nlohmann::json::array();  // categorical: distinct JSON values
  int line = 0;                                         // in the optimization file
};

struct SearchSpace {
  std::vector<Dimension> dimensions;
};

// The largest magnitude of an Integer bound: integers stay exact as doubles up to 2^53.
inline constexpr double k_max_integer_bound = 9007199254740992.0;

// Read the `search_space` list `node` of the optimization file `file`. Errors name the file,
// the line and the value at fault (an unknown kind or key with a did-you-mean suggestion,
// `low` not below `high`, a log-uniform `low` that is not positive, a missing or repeated
// `name`, an empty `categories`). Ignored keys append a notice to `notices` (when given).
[[nodiscard]] Expected<SearchSpace> read_search_space(const YAML::Node& node,
                                                      const std::filesystem::path& file,
                                                      std::vector<YamlNotice>* notices = nullptr);

// How a solver sees one dimension: a coordinate in [lower, upper], whole-numbered when
// `is_integer`. Real: [low, high]; Integer: [low, high], integer; Categorical: the index of the
// category, [0, n - 1], integer. With `prior: log-uniform` the coordinate is the natural log of
// the value ([ln low, ln high], not integer, so that the search is uniform in log space).
struct SolverBounds {
  double lower = 0;
  double upper = 0;
  bool is_integer = false;
};

[[nodiscard]] SolverBounds solver_bounds(const Dimension& dimension);

// Return whether `dimension` holds a single value (a Categorical of one category): no solver
// coordinate then, its value is always that category.
[[nodiscard]] bool is_fixed(const Dimension& dimension);

// The significant digits of a Real parameter's value: enough for any search, few enough for
// readable run keys and reports (`sigma=1.41421`, not `sigma=1.4142135623730951`).
inline constexpr int k_real_significant_digits = 6;

// Return the parameter value at `coordinate` (clamped into solver_bounds first): a number for
// Real (rounded to k_real_significant_digits), an integer for Integer (rounded, log-uniform ones
// rounded after exp), the category at the rounded index for Categorical.
[[nodiscard]] nlohmann::json value_at(const Dimension& dimension, double coordinate);

// Return the coordinate of the parameter value `value` (the inverse of value_at, for results
// recorded earlier); an error when `value` is not a number inside the bounds, or not one of
// the categories.
[[nodiscard]] Expected<double> coordinate_of(const Dimension& dimension,
                                             const nlohmann::json& value);

// Return a run's parameters at `coordinates` (one per dimension of `space`, in order; fixed
// dimensions' coordinates are ignored): `preset` (the file's `preset_params`) with each
// dimension's value set under its name, as QA-Board's `{**preset_params, **point}`.
[[nodiscard]] nlohmann::json params_at(const SearchSpace& space,
                                       const std::vector<double>& coordinates,
                                       const nlohmann::json& preset);

}  // namespace qa::core
