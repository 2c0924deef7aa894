#pragma once

#include <functional>
#include <string_view>

#include <nlohmann/json.hpp>

#include <qa/report/comparison.hpp>
#include <qa/report/verdict.hpp>

namespace qa::report {

// The report, schema `qa.report/1` (stable: fields are only ever added):
//
//   {"schema": "qa.report/1",
//    "project": "acme/denoise", "commit": "<sha>", "branch": "main" | null,
//    "verdict": {"passed": true, "gate": "failed" | "regression" | "never",
//                "why": "no run failed", "title": "passed: no run failed (gate: failed runs)"},
//    "links": {"commit": URL | null, "merge_request": URL | null, "job": URL | null,
//              "history": URL | null},  from the CI's variables (see ci_links.hpp) and
//                                       qa-report --history-url
//    "reference": {"requested": "auto", "commit": "<sha>", "reason": "...", "tried": [...]},
//                 (when batches name references of their own, `reference:` in the batches
//                 file, the first one with "per_batch": [{...the same..., "runs": N}])
//    "generated_at": "<RFC 3339>", "qatools_version": "0.1.0",
//    "metrics": [{"name": "psnr", "label": "PSNR", "short_label": "PSNR",
//                 "smaller_is_better": false, "target": 30 | null, "scale": 1, "suffix": " dB",
//                 "precision": 2, "tolerance": 0.01, "declared": true, "main": true,
//                 "informational": false}],                       in display order
//    "totals": COUNTS,
//    "groups": [{"label": "default", "config": "base", "counts": COUNTS,
//                "metrics": {"psnr": {"value": STATS, "reference": STATS}}}],
//    "optimization": {"schema": "qa.optimization/1", ...},      optional (see below)
//    "runs": [RUN]}                              by severity (failed first), then key
//
//   COUNTS = {"runs", "ok", "failed", "missing", "new", "regressions", "worse", "better",
//             "unchanged", "bit_identical", "bit_different"}               (integers)
//   STATS  = {"count", "mean", "median", "min", "max"}      (count 0: the others are null)
//   RUN    = {"key", "label", "config", "input",
//             "verdict": "failed" | "regression" | "missing" | "worse" | "better" |
//                        "unchanged" | "new",
//             "status": "ok" | "failed" | "timeout" | "cached" | null (missing),
//             "reference_status": the same | null (new),
//             "bitacc": "identical" | "different" | "reference-missing" | "failed",
//             "configs": [...], "params": {...}, "badges": {...}, "links": {...},
//             "reason": why the verdict, one line ("PSNR -1.20 (-3.9%) beyond its tolerance
//                       of 1%", see verdict.hpp explain) | null (unchanged),
//             "exit_code": 0 | null, "timing": {...} | null, "host": "..." | null,
//             "metrics": {"psnr": {"value": 31.2 | null, "reference": 30.1 | null,
//                                  "delta": 1.1 | null, "relative": 0.0365 | null,
//                                  "verdict": "better" | "worse" | "regression" | "unchanged"
//                                             | "changed" | "new" | "missing"}},
//             "files": [{"path", "change": "identical" | "changed" | "only-new" |
//                        "only-reference", "xxh128", "size", "reference_xxh128",
//                        "reference_size"}],      every file of either side, by path
//             "log": {"xxh128", "size"} | null, "reference_log": {"xxh128", "size"} | null}
//
// Hash and size keys are left out on the side where a file does not exist. Values are as
// recorded (not scaled).
// A RUN's `params` are the record's, defaults included: runs of one label and one list of
// configuration names (the strings of `configs`) that differ by them on the same input are the
// points of a parameter sweep, which the HTML page ranks (lib/qa/report/html/tuning.js).
//
// Optional additions, each versioned by its own schema (readers ignore the keys they do not know):
// - "optimization", added with qa-report --optimization: the qa.optimization/1 document as read
//   (see core/optimization.hpp); absent otherwise. The runs are then the best evaluation's, each
//   under the key of the same run in the plain batch (what `best_runs` maps its key to), with its
//   own key in `badges.evaluation_key` and the evaluation's label (`default.iter7`) in `label`.
inline constexpr const char* k_report_schema = "qa.report/1";

// Write the whole comparison as qa.report/1 JSON text to `sink`, in pieces, so that no document
// of 100,000 runs is ever held in memory: one top-level field per line, then one run per line.
// Each piece ends where a field or a run ends (never inside a string or a UTF-8 sequence).
// `generated_at` is written as given.
using TextSink = std::function<void(std::string_view)>;
void write_report_json(const Comparison& comparison, std::string_view generated_at,
                       const TextSink& sink);

// Return `json` as compact text; invalid UTF-8 in strings is replaced by U+FFFD.
[[nodiscard]] std::string dump_json(const nlohmann::json& json);

// Return one RUN object of qa.report/1, its reason judged by `defs`.
[[nodiscard]] nlohmann::json run_to_json(const RunComparison& run, const core::MetricDefs& defs);

// Append one RUN object of qa.report/1 to `out`: the bytes of dump_json(run_to_json(run)),
// written without building the document (write_report_json writes 100,000 of them).
void append_run_json(const RunComparison& run, const core::MetricDefs& defs, std::string& out);

// Return the "verdict" and "links" objects of qa.report/1.
[[nodiscard]] nlohmann::json verdict_to_json(const Verdict& verdict);
[[nodiscard]] nlohmann::json links_to_json(const ReportLinks& links);

// Return a COUNTS object of qa.report/1.
[[nodiscard]] nlohmann::json counts_to_json(const Counts& counts);

// Return a STATS object of qa.report/1.
[[nodiscard]] nlohmann::json stats_to_json(const MetricStats& stats);

// Return the "metrics" array of qa.report/1.
[[nodiscard]] nlohmann::json metric_defs_to_json(const Comparison& comparison);

}  // namespace qa::report
