#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/metric_defs.hpp>
#include <qa/core/run_record.hpp>
#include <qa/report/comparison.hpp>

namespace qa::report {

// The metric history of a branch (`qa-report --history`), schema `qa.history/1` (stable: fields
// are only ever added):
//
//   {"schema": "qa.history/1",
//    "project": "acme/denoise", "branch": "main", "batches": ["nightly"],   ([]: every run)
//    "generated_at": "<RFC 3339>", "qatools_version": "0.1.0",
//    "metrics": [METRIC],          in display order, as in qa.report/1 (main metrics first)
//    "commits_with_results": 12, "gaps": 3,
//    "commits": [COMMIT]}          newest first, first parents only
//
//   COMMIT = {"sha": "<40 hex>", "subject": "fix the denoiser" | null,
//             "date": "<RFC 3339 author date>" | null,      (null: known only to the index)
//             "source": "git" | "branch_index",
//             "has_results": true | false,                   (false: a gap, no other data)
//             "totals": COUNTS,
//             "groups": [{"label": "default", "config": "base", "counts": COUNTS,
//                         "metrics": {"psnr": STATS}}]}      sorted by label, then config
//   METRIC, COUNTS and STATS are those of qa.report/1 (report_json.hpp): a commit's runs are
//   aggregated as a report aggregates the new runs (compare() without a reference), so its
//   counts say ok and failed, and STATS are {"count", "mean", "median", "min", "max"} over the
//   runs with a numeric value. `gaps` counts the commits without results listed among commits.
inline constexpr const char* k_history_schema = "qa.history/1";

// A commit and its runs, as the history is made from it.
struct HistoryInput {
  std::string sha;
  std::optional<std::string> subject;
  std::optional<std::string> date;
  std::string source = "git";            // "git" or "branch_index"
  std::vector<core::RunRecord> records;  // empty: a gap
};

// One label and config of a commit.
struct HistoryGroup {
  std::string label;
  std::string config;
  Counts counts;
  std::vector<std::pair<std::string, MetricStats>> metrics;  // in History::metric_order
};

// One commit of the history.
struct HistoryCommit {
  std::string sha;
  std::optional<std::string> subject;
  std::optional<std::string> date;
  std::string source;
  bool has_results = false;
  Counts totals;
  std::vector<HistoryGroup> groups;  // sorted by label, then config
};

struct History {
  std::string project;
  std::string branch;
  std::vector<std::string> batches;
  core::MetricDefs defs;
  std::vector<std::string> metric_order;  // every commit's metrics, main metrics first
  std::vector<HistoryCommit> commits;     // newest first
  std::size_t with_results = 0;
  std::size_t gaps = 0;
};

// Return the history of `inputs` (newest first) of `branch` of `project`: each commit's runs
// aggregated by compare() per label and config.
[[nodiscard]] History make_history(std::string project, std::string branch,
                                   std::vector<std::string> batches,
                                   std::vector<HistoryInput> inputs, const core::MetricDefs& defs);

// Return `history` as qa.history/1, with `generated_at` written as given.
[[nodiscard]] nlohmann::json history_to_json(const History& history, std::string_view generated_at);

// The most characters history_to_markdown writes (GitHub's comment and step summary limits are
// 65,536).
inline constexpr std::size_t k_history_markdown_max = 60000;

// Return the Markdown of `history`: per label and config, a table of the main metrics (all
// metrics when none is declared main, at most 6) over the commits, newest first, each value with
// an arrow against the next older commit with a value (better, worse, unchanged), gaps as rows
// without values. Strings from data are escaped. Longer than `max_chars`, the oldest commits are
// left out, which a last line says. With `html_url`, a first line links to the HTML page.
[[nodiscard]] std::string history_to_markdown(const History& history,
                                              std::string_view html_url = {},
                                              std::size_t max_chars = k_history_markdown_max);

// Return the text summary of `history`: one line per commit (short sha, date, subject, runs ok
// and failed, the first main metric's mean per group), gaps marked.
[[nodiscard]] std::string history_to_text(const History& history);

}  // namespace qa::report
