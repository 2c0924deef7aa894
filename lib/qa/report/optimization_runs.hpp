#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <qa/core/optimization.hpp>
#include <qa/core/run_record.hpp>

namespace qa::report {

// The runs that `qa-report --optimization` compares: the best evaluation's, each renamed after
// the same run of the plain batch so that the reference's plain runs match them.
struct BestRuns {
  std::vector<core::RunRecord> records;  // the best evaluation's runs, renamed
  std::vector<std::string> unmapped;     // their keys that best_runs does not name (kept as is)
  std::size_t left_out = 0;              // records of other labels (other evaluations)
};

// The badge that keeps a renamed run's own key (`default.iter7/<config>/<input>`), shown in the
// HTML detail and written in the JSON report's `badges`.
inline constexpr const char* k_evaluation_key_badge = "evaluation_key";

// Return the records of `records` whose label is the best evaluation's (none when no evaluation
// succeeded), each given the key that `optimization.best_runs` maps its key to (the run without
// the searched parameters, under the base label). A renamed run keeps its label
// (`default.iter7`), so that tables grouped by label say which evaluation it comes from, and
// its parameters, and gets its own key as the badge k_evaluation_key_badge.
[[nodiscard]] BestRuns best_runs(std::vector<core::RunRecord> records,
                                 const core::Optimization& optimization);

// Return the reference keys to look up for the best runs: `planned` (run keys of the best
// evaluation, from a batch's plan) with each key renamed as best_runs does, or, when `planned`
// is empty, every plain key of `optimization.best_runs`.
[[nodiscard]] std::vector<std::string> plain_keys(const std::vector<std::string>& planned,
                                                  const core::Optimization& optimization);

}  // namespace qa::report
