#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <qa/report/bitacc.hpp>

namespace qa::report {

// The bit-accuracy report, schema `qa.bitacc/1`:
//   {"schema": "qa.bitacc/1",
//    "reference": {"requested", "commit", "reason", "tried"} (empty for two folders;
//                 {"golden": "<DIR>"} against golden manifests, where "reference-missing" and
//                 "only-reference" mean without golden manifest and only in the golden one;
//                 when batches name references of their own, the first reference with
//                 "per_batch": [{"requested", "commit", "reason", "tried", "runs": N}]),
//    "summary": {"runs": N, "identical": N, "different": N, "reference_missing": N, "failed": N},
//    "runs": [{"key", "input", "label", "config",
//              "verdict": "identical" | "different" | "reference-missing" | "failed",
//              "compared": N,
//              "files": [{"path", "change": "changed" | "only-new" | "only-reference",
//                         "xxh128", "size", "reference_xxh128", "reference_size"}]}]}
// (hash and size keys are left out on the side where the file does not exist).
[[nodiscard]] nlohmann::json bitacc_to_json(const BitaccReport& report);

// One line per file that differs (and per run that failed or has no reference), then a summary.
// Against golden manifests, the words say so: "no golden manifest", "only-golden".
[[nodiscard]] std::string bitacc_to_text(const BitaccReport& report);

// A Markdown summary: counts, then a table of the runs that are not identical.
[[nodiscard]] std::string bitacc_to_markdown(const BitaccReport& report);

// JUnit XML: a suite per label, a testcase per run (classname: config, name: input); a failure
// for a different or failed run, skipped without reference.
[[nodiscard]] std::string bitacc_to_junit(const BitaccReport& report);

// GitHub Actions `::error` annotations for the first `limit` runs that differ or failed.
[[nodiscard]] std::string bitacc_to_github_annotations(const BitaccReport& report,
                                                       std::size_t limit = 10);

}  // namespace qa::report
