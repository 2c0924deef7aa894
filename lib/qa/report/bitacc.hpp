#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/manifest.hpp>
#include <qa/core/run_record.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

// How one output file compares with the reference's.
enum class FileChange { changed, only_new, only_reference };

struct FileDiff {
  std::string path;
  FileChange change = FileChange::changed;
  std::optional<core::FileEntry> entry;            // in the new run
  std::optional<core::FileEntry> reference_entry;  // in the reference run
};

// How one run compares with the run of the same key at the reference.
enum class BitaccVerdict {
  identical,          // every selected file has the same hash (one-sided files allowed)
  different,          // a file differs (or, with strict, exists on one side only)
  reference_missing,  // the reference has no (ok) run of this key
  failed,             // the new run itself failed
};

struct RunBitacc {
  std::string key;
  std::string input;
  std::string label;
  std::string config;  // the key's middle part
  BitaccVerdict verdict = BitaccVerdict::identical;
  std::size_t compared = 0;     // files present on both sides
  std::vector<FileDiff> diffs;  // every file that is not identical, sorted by path
};

enum class Strict { no, yes };

// Whether the file at `path` of a run is compared bit for bit: `selection` selects it and it is
// not the run's metrics.json (as in QA-Board, metrics are the report's, with their tolerances).
[[nodiscard]] bool is_compared(const std::string& path, const core::FileSelection& selection);

// Compare the manifests `manifest` and `reference` (after `selection`; the run's metrics.json is
// left out, as QA-Board does: metrics are the report's): changed files always make the run
// different; files on one side only do with `strict`.
[[nodiscard]] RunBitacc compare_manifests(const core::Manifest& manifest,
                                          const core::Manifest& reference,
                                          const core::FileSelection& selection, Strict strict);

// Compare `record` with `reference` (the record of the same key at the reference commit, or
// nothing).
[[nodiscard]] RunBitacc compare_run(const core::RunRecord& record,
                                    const std::optional<core::RunRecord>& reference,
                                    const core::FileSelection& selection, Strict strict);
// The same with the reference record by pointer (null: none), without copying it.
[[nodiscard]] RunBitacc compare_run(const core::RunRecord& record, const core::RunRecord* reference,
                                    const core::FileSelection& selection, Strict strict);
// compare_run without the run's identity: key, input, label and config are left empty, for a
// caller that holds them already (report::compare keeps 100,000 of these).
[[nodiscard]] RunBitacc compare_outputs(const core::RunRecord& record,
                                        const core::RunRecord* reference,
                                        const core::FileSelection& selection, Strict strict);
// Compare `record` with the manifest `reference` (a golden manifest's files; null: there is none,
// the run is reference_missing).
[[nodiscard]] RunBitacc compare_run_files(const core::RunRecord& record,
                                          const core::Manifest* reference,
                                          const core::FileSelection& selection, Strict strict);

// The verdict of a whole check.
enum class BitaccOutcome {
  identical,     // every run compared is identical (runs without reference results aside)
  different,     // a run differs or failed
  no_reference,  // no run had reference results
};

// The whole check: every run, and the reference it was compared with.
struct BitaccReport {
  nlohmann::json reference = nlohmann::json::object();  // the ReferenceChoice, as JSON
  // The folder of golden manifests the runs were compared with (`--golden`), instead of a
  // reference commit: reference_missing then means that a run has no golden manifest.
  std::optional<std::string> golden;
  std::vector<RunBitacc> runs;

  [[nodiscard]] std::size_t count(BitaccVerdict verdict) const;
  [[nodiscard]] BitaccOutcome outcome() const;
};

[[nodiscard]] std::string_view to_string(BitaccVerdict verdict);
[[nodiscard]] std::string_view to_string(FileChange change);

}  // namespace qa::report
