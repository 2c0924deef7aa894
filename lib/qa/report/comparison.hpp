#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/manifest.hpp>
#include <qa/core/metric_defs.hpp>
#include <qa/core/optimization.hpp>
#include <qa/core/run_record.hpp>
#include <qa/report/bitacc.hpp>

namespace qa::report {

// How one metric of a run compares with the reference run's.
enum class MetricVerdict {
  better,      // moved in the good direction
  worse,       // moved in the bad direction, within the tolerance
  regression,  // moved in the bad direction beyond the tolerance
  unchanged,   // equal values
  changed,     // a value that is not a number changed (neither better nor worse)
  new_metric,  // no reference value
  missing,     // only the reference has a value
};

// How one run compares with the run of the same key at the reference. The order is the order of
// severity: the table and the Markdown summary list runs by it.
enum class RunVerdict {
  failed,      // the new run failed or timed out
  regression,  // a metric regressed beyond its tolerance
  missing,     // the reference has the run, the new commit does not
  worse,       // a metric got worse within its tolerance, none regressed
  better,      // a metric got better, none got worse
  unchanged,   // every metric equal (outputs may still differ: see the bit-accuracy verdict)
  new_run,     // no reference run
};

// Which runs make a report fail (qa-report --fail-on): failed runs, failed runs and
// regressions, or none.
enum class Gate { failed, regression, never };

// Where the reviewer of a report goes next: web pages of the compared commit, of its merge or
// pull request and of the CI job that made the report, from the CI's variables (see
// ci_links.hpp), only http(s) URLs; the branch's metric history (qa-report --history-url), an
// http(s) URL or a relative path. Empty when unknown.
struct ReportLinks {
  std::string commit;
  std::string merge_request;
  std::string job;
  std::string history;
};

struct MetricComparison {
  std::string name;
  nlohmann::json value = nullptr;      // null when only the reference has it
  nlohmann::json reference = nullptr;  // null when there is no reference value
  std::optional<double> delta;         // value - reference, for numbers
  std::optional<double> relative;      // delta / |reference|; none when the reference is 0
  MetricVerdict verdict = MetricVerdict::unchanged;
  bool informational = false;  // shown only: never makes the run better, worse or a regression
};

struct RunComparison {
  // Views of the run's record (the new one, else the reference's), which the Comparison owns.
  std::string_view key;
  std::string_view label;
  std::string_view config;  // the key's middle part
  std::string_view input;
  const core::RunRecord* record = nullptr;     // the new run; null when missing
  const core::RunRecord* reference = nullptr;  // the reference run; null when new
  RunVerdict verdict = RunVerdict::unchanged;
  // Outputs against the reference's (its key, input, label and config left empty: the run's own
  // say them); none when missing.
  std::optional<RunBitacc> bitacc;
  std::vector<MetricComparison> metrics;  // in Comparison::metric_order
};

// Statistics of one metric over the runs of a group that have a numeric value.
struct MetricStats {
  std::size_t count = 0;
  double mean = 0;
  double median = 0;
  double min = 0;
  double max = 0;
};

struct Counts {
  std::size_t runs = 0;  // compared runs (new and missing ones included)
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::size_t missing = 0;
  std::size_t new_runs = 0;
  std::size_t regressions = 0;  // runs with a regression
  std::size_t worse = 0;
  std::size_t better = 0;
  std::size_t unchanged = 0;
  std::size_t bit_identical = 0;
  std::size_t bit_different = 0;
};

struct MetricAggregate {
  std::string name;
  MetricStats value;      // over the new runs
  MetricStats reference;  // over the reference runs of the same keys
};

// The runs of one label and config (the key's first two parts).
struct Group {
  std::string label;
  std::string config;
  Counts counts;
  std::vector<MetricAggregate> metrics;  // in Comparison::metric_order, when any run has it
};

// A whole comparison: every run of the new commit against the reference. Its runs point into
// its own records, so it moves (a vector's move keeps its elements in place) but never copies.
struct Comparison {
  Comparison() = default;
  Comparison(const Comparison&) = delete;
  Comparison& operator=(const Comparison&) = delete;
  Comparison(Comparison&&) noexcept = default;
  Comparison& operator=(Comparison&&) noexcept = default;
  ~Comparison() = default;

  std::string project;
  std::string commit;
  std::optional<std::string> branch;
  nlohmann::json reference = nlohmann::json::object();  // the ReferenceChoice as JSON
  core::MetricDefs defs;
  std::vector<std::string> metric_order;  // main metrics, then declared ones, then the others
  std::vector<core::RunRecord> records;   // owned; runs point into them
  // Owned; runs point into them. Of a reference run that has a new run, only what the reports
  // show is kept: its identity, status, exit code, timing, files and log (its metrics are in the
  // run's MetricComparisons).
  std::vector<core::RunRecord> reference_records;
  std::vector<RunComparison> runs;  // sorted by severity, then key
  std::vector<Group> groups;        // sorted by label, then config
  Counts totals;
  // The optimization whose best runs these are (qa-report --optimization), shown by every writer.
  std::optional<core::Optimization> optimization;
  Gate gate = Gate::failed;  // what the writers' verdict is judged by (see verdict.hpp)
  ReportLinks links;
};

struct CompareOptions {
  core::FileSelection selection;  // the files the bit-accuracy verdict looks at
  Strict strict = Strict::no;
};

// Compare `records` (the new runs) with `reference_records` (the runs at the reference; a run of
// the reference whose key is not among `records` is reported as missing). `defs` judges metrics.
[[nodiscard]] Comparison compare(std::vector<core::RunRecord> records,
                                 std::vector<core::RunRecord> reference_records,
                                 core::MetricDefs defs, const CompareOptions& options);

// Return the MetricComparison of `value` against `reference` under `def`.
[[nodiscard]] MetricComparison compare_metric(const core::MetricDef& def,
                                              const nlohmann::json& value,
                                              const nlohmann::json& reference);

// Return the statistics of `values` (empty: count 0).
[[nodiscard]] MetricStats stats_of(std::vector<double> values);

[[nodiscard]] std::string_view to_string(MetricVerdict verdict);
[[nodiscard]] std::string_view to_string(RunVerdict verdict);

// Return whether `run` changed: a verdict other than unchanged, or outputs that differ.
[[nodiscard]] bool is_change(const RunComparison& run);

}  // namespace qa::report
