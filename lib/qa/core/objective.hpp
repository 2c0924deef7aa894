#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <qa/core/metric_defs.hpp>
#include <qa/core/run_record.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// What an optimization minimizes: the `objective` of QA-Board's optimization file.
//
//   objective:
//     psnr: {weight: 1, loss: relu_shift, reduce: l2, margin: 0.5}
//     compute_time: {weight: 0.1}
//     target: {branch: main, batch: default}   # optional; also `id: SHA` or `tag: T`
//
// Each key but `target` is a metric; its options (all optional) are `weight` (default 1),
// `loss` (default identity), `reduce` (default sum) and `margin` (default 0, used by relu
// losses). The objective of an evaluation (one batch run at one point) is, as in QA-Board's
// `batch_objective`:
//
//   objective = sum over metrics of  weight * reduce(losses of the runs)
//
// with e = 1 when the metric's smaller_is_better (metrics file, default true), else -1, x the
// run's value and t its target:
//   identity  e*x            shift  e*(x - t)          relative  e*(x - t)/t
//   relu_B    max(B + margin, 0)                       square_B  B^2
// where B is identity, shift or relative. A name holding both relu and square
// (`square_relu_relative`) is computed as its relu form: QA-Board's code tests relu first and
// never squares it (its template's comment says otherwise); qatools gives the same numbers and
// a notice. QA-Board fails on `relu_identity` and `square_identity`; qatools computes them as
// written. With n the number of losses:
//   sum   sum(losses)/n     relu  max(sum(losses), 0)/n
//   lP    (sum |loss|^P)^(1/P)/n for P = 1..9 (numpy's vector norm), l0 the count of non-zero
//         losses over n
//
// Runs left out of a metric's losses, as QA-Board leaves them out: failed runs (status neither
// ok nor cached, or the metric `is_failed` true), runs without a numeric value of the metric (a
// bool counts as 0 or 1, as in Python), and a relative loss whose target is 0. A metric without
// any loss makes the evaluation fail (QA-Board divides by zero).
//
// Targets (shift and relative losses): with `target` naming a revision, each run's target is
// the value of the same run (key) at that revision and batch label (the caller looks them up);
// otherwise the metric's `target` in the metrics file. QA-Board reads the metrics file's target
// only when `target` is present (even empty); qatools reads it whenever no revision is named.

enum class LossBase { identity, shift, relative };

struct Loss {
  LossBase base = LossBase::identity;
  bool relu = false;    // max(B + margin, 0); wins over square, as in QA-Board
  bool square = false;  // B^2
  [[nodiscard]] bool uses_target() const { return base != LossBase::identity; }
};

enum class ReduceKind { sum, relu, norm };

struct Reduce {
  ReduceKind kind = ReduceKind::sum;
  int order = 2;  // norm: lP
};

struct ObjectiveTerm {
  std::string metric;
  double weight = 1;
  Loss loss;
  std::string loss_name = "identity";  // as written, for messages and reports
  Reduce reduce;
  std::string reduce_name = "sum";
  double margin = 0;
  int line = 0;  // in the optimization file
};

// Where the targets of shift and relative losses come from, when not the metrics file:
// QA-Board's `target: {id | branch | tag, batch}`.
struct TargetRef {
  enum class Kind { commit, branch, tag };
  Kind kind = Kind::branch;
  std::string revision;
  std::string label = "default";  // `batch`: the label of the reference runs
};

struct ObjectiveSpec {
  std::vector<ObjectiveTerm> terms;  // in the file's order
  std::optional<TargetRef> target;   // a revision: per-run targets
};

// Read the `objective` map `node` of the optimization file `file`. Errors name the file, the
// line and the value (an unknown option, loss or reduce with a did-you-mean suggestion, a
// weight that is not a number); loss names that QA-Board computes differently from what they
// say append a notice to `notices` (when given).
[[nodiscard]] Expected<ObjectiveSpec> read_objective(const YAML::Node& node,
                                                     const std::filesystem::path& file,
                                                     std::vector<YamlNotice>* notices = nullptr);

// Check the objective's metrics against the metrics file `defs`: each is declared there (or is
// one qatools records for every run), and one with a shift or relative loss has a `target`
// there when `spec` names no revision. Errors name `file` and the metric's line.
[[nodiscard]] Expected<void> check_objective_metrics(const ObjectiveSpec& spec,
                                                     const MetricDefs& defs,
                                                     const std::filesystem::path& file);

// One run of an evaluation, as the objective reads it.
struct RunOutcome {
  std::string key;  // the run key, for messages
  nlohmann::json metrics = nlohmann::json::object();
  bool failed = false;  // the run did not succeed
  // Per-run targets (metric -> value) from the reference runs, when `target` names a revision.
  nlohmann::json targets = nlohmann::json::object();
};

// Return the outcome of `record` (its key and metrics), failed unless its status is ok or
// cached; no targets.
[[nodiscard]] RunOutcome run_outcome(const RunRecord& record);

struct ObjectiveValue {
  double value = 0;
  std::map<std::string, double> terms;  // metric -> weight * reduce(losses)
  std::vector<std::string> notes;       // the runs left out, and why
};

// Return the objective of the runs `runs` (one evaluation). Errors: a metric without any loss
// (every run failed or lacks it); a shift or relative loss without a target (no metrics-file
// target, or, with a revision, no reference value for a run).
[[nodiscard]] Expected<ObjectiveValue> evaluate_objective(const ObjectiveSpec& spec,
                                                          const MetricDefs& defs,
                                                          const std::vector<RunOutcome>& runs);

// Return the loss `loss` of the value `x` with target `target` (ignored by identity losses);
// `smaller_is_better` gives its sign. Exposed for tests.
[[nodiscard]] double loss_of(const Loss& loss, double x, double target, double margin,
                             bool smaller_is_better);

// Return `reduce` of `losses` (not empty). Exposed for tests.
[[nodiscard]] double reduce_of(const Reduce& reduce, const std::vector<double>& losses);

}  // namespace qa::core
