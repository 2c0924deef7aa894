#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <qa/core/golden.hpp>
#include <qa/core/manifest.hpp>
#include <qa/core/run_record.hpp>
#include <qa/report/bitacc.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

// Bit accuracy against golden manifests (core/golden.hpp) instead of a reference commit:
// `qa-bitacc --golden DIR` checks runs against them, `--accept` writes them.

// Return the golden manifest of `record`: its key, its input and the files of its manifest that
// bit accuracy compares (`selection`, without metrics.json: see is_compared).
[[nodiscard]] core::Golden golden_of(const core::RunRecord& record,
                                     const core::FileSelection& selection);

// Compare each of `records` with its golden manifest in `dir` (see compare_run_files): a run
// without one is reference_missing. The report's `golden` is `dir`. A golden manifest that cannot
// be read is an error naming its file.
[[nodiscard]] Expected<BitaccReport> compare_with_goldens(
    const std::filesystem::path& dir, const std::vector<core::RunRecord>& records,
    const core::FileSelection& selection, Strict strict);

// What accepting one run did to its golden manifest.
struct AcceptedRun {
  std::string key;
  bool created = false;  // there was no golden manifest before
  // The files that changed from the previous golden manifest, sorted by path: only_new is a file
  // added, only_reference a file removed.
  std::vector<FileDiff> diffs;
  core::GoldenWrite write = core::GoldenWrite::unchanged;
  std::size_t files = 0;  // in the new golden manifest
};

// A run that was not accepted, because it did not succeed.
struct RejectedRun {
  std::string key;
  core::RunStatus status = core::RunStatus::failed;
};

struct AcceptOutcome {
  std::vector<AcceptedRun> accepted;
  std::vector<RejectedRun> rejected;
};

// Write the golden manifest of each of `records` that succeeded (ok or cached) into `dir` (see
// core::write_golden: files holding the same bytes are not touched); the others are rejected and
// their golden manifests left as they are, as are those of runs not in `records`. Every previous
// golden manifest is read before any is written: one that cannot be read is an error naming its
// file, and nothing is written then.
[[nodiscard]] Expected<AcceptOutcome> accept_goldens(const std::filesystem::path& dir,
                                                     const std::vector<core::RunRecord>& records,
                                                     const core::FileSelection& selection);

// One line per change (`new golden`; `added`, `changed`, `removed` per file; `rewritten` for the
// same files in a text accept would not write), then a summary naming `dir`. Unchanged runs have
// no line.
[[nodiscard]] std::string accept_to_text(const AcceptOutcome& outcome, const std::string& dir);

}  // namespace qa::report
