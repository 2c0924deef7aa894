#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/objective.hpp>
#include <qa/core/search_space.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// QA-Board's optimization file (`qa optimize --config-file`), loaded unchanged:
//
//   evaluations: 50            # required: the budget, batch runs at most
//   parallel_sampling: 4       # points evaluated at once (default 1)
//   objective: {...}           # required: core/objective.hpp
//   search_space: [...]        # required: core/search_space.hpp (scikit-optimize's YAML form)
//   preset_params: {k: v}      # parameters every evaluation gets, under the searched ones
//   solver:                    # optional
//     random_state: 42         # the seed (scikit-optimize's name; `seed` too)
//     n_initial_points: 10     # points drawn at random before the model guides the search
//
// qatools's solver is dlib's global_function_search, not scikit-optimize: the `solver` keys that
// configure scikit-optimize's model (`name`, `base_estimator`, `acq_func`, `acq_funcstring`,
// `acq_optimizer`, `xi`, `kappa`, `n_jobs`, ...) are accepted with a notice that they are
// ignored. Unknown keys are errors naming the file and line, with a did-you-mean suggestion.

struct SolverOptions {
  std::optional<std::int64_t> seed;  // solver.seed or solver.random_state
  std::optional<std::size_t> initial_points;  // solver.n_initial_points
};

struct OptimizeSpec {
  std::filesystem::path file;
  std::size_t evaluations = 0;
  std::size_t parallel_sampling = 1;
  ObjectiveSpec objective;
  SearchSpace search_space;
  nlohmann::json preset_params = nlohmann::json::object();
  SolverOptions solver;
};

// The seed when neither the file, QA_SEED nor --seed gives one (QA-Board's random_state).
inline constexpr std::int64_t k_default_optimize_seed = 42;
// The largest budget: each evaluation is a whole batch, and the solver's model grows with them.
inline constexpr std::size_t k_max_evaluations = 10'000;

// Read the optimization file `file`. Errors name the file, the line and the value at fault;
// the keys that qatools ignores, and loss names computed differently from what they say,
// append one line each to `notices` (when given).
[[nodiscard]] Expected<OptimizeSpec> load_optimize_spec(const std::filesystem::path& file,
                                                        std::vector<std::string>* notices = nullptr);

}  // namespace qa::core
