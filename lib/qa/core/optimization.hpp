#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/search_space.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// The outcome of an optimization, `qa-batch BATCH... --optimize FILE --best OUT.json`, schema
// `qa.optimization/1` (stable: fields are only ever added), which `qa-batch --optimize` writes
// (optimize/batch_search.hpp, with to_json) and `qa-report --optimization` reads (with
// read_optimization):
//
//   {"schema": "qa.optimization/1",
//    "project": "acme/denoise", "commit": "<40 hex>[-dirty]", "base_label": "default",
//    "file": "qa/optimize.yaml", "solver": "global" | "random", "seed": 42,
//    "budget": 40, "parallel": 4,
//    "objective": -31.9 | null, "params": {"strength": 0.61, "sigma": 1.4} | null,
//    "evaluation": 7 | null, "label": "default.iter7" | null,      the best evaluation
//    "metrics": ["psnr"],                                         the objective's metrics
//    "search_space": [DIMENSION],
//    "evaluations": [EVALUATION],                                 by evaluation number
//    "best_runs": {"default.iter7/<config>/<input>": "default/<config>/<input>"}}
//
//   DIMENSION  = {"name", "kind": "real" | "integer", "low", "high",
//                 "prior": "uniform" | "log-uniform"}
//              | {"name", "kind": "categorical", "categories": [...]}
//   EVALUATION = {"evaluation": 1, "label": "default.iter1",
//                 "params": {...},       the run's parameters: the file's preset ones and point
//                 "point": {...},        the searched dimensions only
//                 "status": "ok" | "failed" | "interrupted",
//                 "objective": -30.1 | null (not ok), "terms": {"psnr": -30.1},
//                 "aggregates": {"psnr": 30.1},    mean of each metric over the ok runs
//                 "runs": {"total": 2, "ok": 2, "failed": 0}, "notes": ["every run failed"]}
//
// Each evaluation ran the batch at one point under the label `<base_label>.iter<N>`
// (evaluation_label); its runs' keys carry the point's parameters. The objective is minimized.
// `objective`, `params`, `evaluation` and `label` are all null when no evaluation succeeded
// (best_evaluation), and `best_runs` is then empty. `best_runs` maps each run key of the best
// evaluation to the key of the same run without the searched parameters, under `base_label`:
// the plain batch's run that a reference commit has.
inline constexpr const char* k_optimization_schema = "qa.optimization/1";

enum class EvaluationStatus { ok, failed, interrupted };

// Return "ok", "failed" or "interrupted", the document's name of `status`.
[[nodiscard]] std::string_view to_string(EvaluationStatus status);

struct EvaluationRuns {
  std::size_t total = 0;
  std::size_t ok = 0;
  std::size_t failed = 0;
};

struct Evaluation {
  std::size_t number = 0;  // "evaluation", from 1
  std::string label;
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json point = nlohmann::json::object();
  EvaluationStatus status = EvaluationStatus::failed;
  std::optional<double> objective;  // set when ok
  std::map<std::string, double> terms;
  std::map<std::string, double> aggregates;
  EvaluationRuns runs;
  std::vector<std::string> notes;
};

struct Optimization {
  std::string project;
  std::string commit;
  std::string base_label;
  std::string file;
  std::string solver;
  std::uint64_t seed = 0;  // 0 to 2^64-1; read from -2^63 to 2^63-1, a negative one modulo 2^64
  std::size_t budget = 0;
  std::size_t parallel = 1;
  // The best evaluation's objective, params, number and label (set_best); none or null when no
  // evaluation succeeded.
  std::optional<double> objective;
  nlohmann::json params = nullptr;
  std::optional<std::size_t> evaluation;
  std::optional<std::string> label;
  std::vector<std::string> metrics;
  std::vector<Dimension> search_space;  // `line` is 0 when read, and not written
  std::vector<Evaluation> evaluations;  // sorted by number when read
  std::map<std::string, std::string, std::less<>> best_runs;
  // The whole document as read, for the JSON and HTML reports; null when not read, and not
  // written.
  nlohmann::json document;

  // Return the best evaluation, or null when none succeeded.
  [[nodiscard]] const Evaluation* best() const;
};

// Return the label of evaluation `number` (from 1) of a search under `base_label`:
// `<base_label>.iter<number>`.
[[nodiscard]] std::string evaluation_label(std::string_view base_label, std::size_t number);

// Return the position in `optimization.evaluations` of the best evaluation: the lowest
// objective of the ok ones, the first among equals; nothing when none succeeded.
[[nodiscard]] std::optional<std::size_t> best_evaluation(const Optimization& optimization);

// Set the best fields of `optimization` (objective, params, evaluation, label) from its
// best_evaluation, or clear them when no evaluation succeeded.
void set_best(Optimization& optimization);

// Return `optimization` as a qa.optimization/1 document: its fields as they are (set_best
// fills the best ones), a non-finite number as null (JSON has none), without `document`.
[[nodiscard]] nlohmann::json to_json(const Optimization& optimization);

// Read `json`, a qa.optimization/1 document, validating it: the schema, every field's type, the
// project name, commit key and labels, the statuses, an objective for each ok evaluation, the
// best fields all null or all set and naming one of the evaluations, and best_runs' keys (the
// best label's) and values (base_label's). Errors are one line naming `origin` and the field:
// `invalid optimization "best.json": "evaluations[2].status" must be ok, failed or interrupted`.
[[nodiscard]] Expected<Optimization> optimization_from_json(const nlohmann::json& json,
                                                            std::string_view origin);

// Read the qa.optimization/1 file `file` (see optimization_from_json).
[[nodiscard]] Expected<Optimization> read_optimization(const std::filesystem::path& file);

// Return, for each evaluation of `optimization` in order, the smallest objective of it and of
// the evaluations before it; none until one succeeded.
[[nodiscard]] std::vector<std::optional<double>> best_so_far(const Optimization& optimization);

}  // namespace qa::core
