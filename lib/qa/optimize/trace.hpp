#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/search_space.hpp>

namespace qa::optimize {

// What `qa-batch --optimize` did, as `--best FILE` writes it and `qa-report --optimization FILE`
// reads it. Schema `qa.optimization/1`, one JSON object:
//
//   {"schema": "qa.optimization/1",
//    "project": "examples/denoise", "commit": "<commit key>", "base_label": "default",
//    "file": "qa/optimize.yaml",         // the optimization file, as given
//    "solver": "global" | "random", "seed": 42, "budget": 40, "parallel": 4,
//    "objective": -31.9, "params": {...}, "evaluation": 7, "label": "default.iter7",
//                                        // the best evaluation; all four null when none succeeded
//    "metrics": ["psnr"],                // the objective's metrics, in the file's order
//    "search_space": [{"name": "sigma", "kind": "real" | "integer", "low": 0.1, "high": 10,
//                      "prior": "uniform" | "log-uniform"},
//                     {"name": "mode", "kind": "categorical", "categories": ["fast", "fine"]}],
//    "evaluations": [                    // in the order asked
//      {"evaluation": 1, "label": "default.iter1",
//       "params": {...},                 // what the runs got: preset_params and the point
//       "point": {...},                  // the searched dimensions only
//       "status": "ok" | "failed" | "interrupted",
//       "objective": -30.1 | null,       // minimized; null unless ok
//       "terms": {"psnr": -30.1},        // metric -> weight * reduce(losses)
//       "aggregates": {"psnr": 30.1},    // metric -> mean over the ok runs that have it
//       "runs": {"total": 2, "ok": 2, "failed": 0},
//       "notes": ["..."]}],              // why it failed, the runs left out of the objective
//    "best_runs": {"default.iter7/<config>/<input>": "default/<config>/<input>"}}
//                                        // each run of the best evaluation -> the key of the
//                                        // same run without the searched parameters
//
// Evaluation N (from 1) runs the batch under the label `<base_label>.iter<N>`; its runs' keys
// carry the point's parameters.

enum class EvaluationStatus { ok, failed, interrupted };

struct EvaluationSummary {
  std::size_t number = 0;  // from 1
  std::string label;
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json point = nlohmann::json::object();
  EvaluationStatus status = EvaluationStatus::failed;
  std::optional<double> objective;
  std::map<std::string, double> terms;
  std::map<std::string, double> aggregates;
  std::size_t runs = 0;
  std::size_t runs_ok = 0;
  std::size_t runs_failed = 0;
  std::vector<std::string> notes;
};

struct OptimizationTrace {
  std::string project;
  std::string commit;
  std::string base_label = "default";
  std::string file;
  std::string solver = "global";
  std::uint64_t seed = 0;
  std::size_t budget = 0;
  std::size_t parallel = 1;
  std::vector<std::string> metrics;
  core::SearchSpace search_space;
  std::vector<EvaluationSummary> evaluations;
  std::map<std::string, std::string> best_runs;
};

// Return the label of evaluation `number` (from 1) of a search under `base_label`.
[[nodiscard]] std::string evaluation_label(const std::string& base_label, std::size_t number);

// Return the position in `trace.evaluations` of the best evaluation: the lowest objective, the
// first among equals; nothing when none succeeded.
[[nodiscard]] std::optional<std::size_t> best_evaluation(const OptimizationTrace& trace);

// Return `trace` as a qa.optimization/1 document.
[[nodiscard]] nlohmann::json to_json(const OptimizationTrace& trace);

// Return `dimensions` as the document's `search_space`.
[[nodiscard]] nlohmann::json to_json(const core::SearchSpace& space);

}  // namespace qa::optimize
