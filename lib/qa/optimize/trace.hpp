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

// What `qa-batch --optimize` did, as `--best FILE` writes it: the `qa.optimization/1` document
// that `qa-report --optimization FILE` reads, described in report/optimization.hpp (the reader,
// in libqa, which this library links; CLI tests read what this writes through it). Evaluation N
// (from 1) runs the batch under the label `<base_label>.iter<N>`; its runs' keys carry the
// point's parameters.

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
