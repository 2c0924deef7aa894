#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <qa/core/metric_defs.hpp>
#include <qa/report/comparison.hpp>

namespace qa::report {

// The outcome of a report under its gate (qa-report --fail-on), said first by every writer.
struct Verdict {
  bool passed = true;
  Gate gate = Gate::failed;
  // Why, in a few words: "2 runs failed", "no run failed or regressed", "not gated".
  std::string why;
};

// Return the gate named `name` ("failed", "regression", "never"), or nothing.
[[nodiscard]] std::optional<Gate> parse_gate(std::string_view name);
[[nodiscard]] std::string_view to_string(Gate gate);
// Return what `gate` fails on, in words: "failed runs", "failed runs and regressions", "none".
[[nodiscard]] std::string_view gate_description(Gate gate);

// Return how `comparison` fares under its gate (`comparison.gate`): failed runs fail every gate
// but "never"; regressions fail the "regression" gate.
[[nodiscard]] Verdict judge(const Comparison& comparison);

// Return the verdict as a title: "passed: no run failed (gate: failed runs)", "failed: 2 runs
// failed, 1 regression (gate: regressions)".
[[nodiscard]] std::string verdict_title(const Verdict& verdict);

// Return why `run` has its verdict, judged by `defs`, in one line: the status and exit code of a
// failed run; the metrics that regressed (or got worse, or better) with their change and their
// tolerance ("PSNR -1.20 (-3.9%) beyond its tolerance of 1%"), at most three, then "and N more";
// "the reference has this run, this commit does not"; "no reference run". Empty for an unchanged
// run. qatools' own metrics (compute_time, peak_rss_mb) are never named unless declared.
[[nodiscard]] std::string explain(const core::MetricDefs& defs, const RunComparison& run);

}  // namespace qa::report
