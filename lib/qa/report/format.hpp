#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <qa/core/metric_defs.hpp>
#include <qa/report/comparison.hpp>

namespace qa::report {

// Return `value` as shown to people: numbers multiplied by `def.scale`, with `def.precision`
// decimals and `def.suffix`; strings as they are; null as "-". qatools' own compute_time
// (seconds) and peak_rss_mb, unless declared, in human units: "850 ms", "2.31 s", "120 MiB".
[[nodiscard]] std::string format_value(const core::MetricDef& def, const nlohmann::json& value);

// Return the change of `metric` as shown to people: "+1.20 (+4.0%)", "+1.20" without a relative
// change, "" when there is no numeric delta; human units as format_value ("+500 ms (+50.0%)").
[[nodiscard]] std::string format_delta(const core::MetricDef& def, const MetricComparison& metric);

// Return the comparison of the metric `name` in `run`, or null when the run has none.
[[nodiscard]] const MetricComparison* find_metric(const RunComparison& run, std::string_view name);

// Return the cell of the metric `def` in `run` as shown in tables: "31.20 dB +0.57 (+1.7%)"
// (value, then the change when there is one), "-" when the run has no such metric.
[[nodiscard]] std::string metric_cell(const core::MetricDef& def, const RunComparison& run);

// Return the first 12 characters of a commit key (the whole key when shorter), "none" when empty.
[[nodiscard]] std::string short_commit(std::string_view commit);

// Return the metrics a summary table shows: the main metrics when the metrics file names some,
// else the first `limit` metrics of the order that are not qatools' own.
[[nodiscard]] std::vector<std::string> summary_metrics(const Comparison& comparison,
                                                       std::size_t limit = 3);

// Return what a summary row does not show but explains its verdict: the exit code of a failed
// run, and the metrics outside `shown` that regressed or got worse ("Max err +4 (+9.8%)").
[[nodiscard]] std::string run_notes(const Comparison& comparison, const RunComparison& run,
                                    const std::vector<std::string>& shown);

// Return one line that says what was compared with what and why: "examples/denoise 1a2b3c4d5e6f
// (main) against 0a1b2c3d4e5f: merge-base of HEAD with main".
[[nodiscard]] std::string headline(const Comparison& comparison);

// Return the counts as a sentence: "12 runs: 1 failed, 1 regression, 3 better, ...".
[[nodiscard]] std::string counts_sentence(const Counts& counts);

}  // namespace qa::report
