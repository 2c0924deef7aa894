#include <qa/report/bitacc.hpp>

#include <algorithm>

#include <qa/core/run_key.hpp>
#include <qa/core/run_metrics.hpp>

namespace qa::report {

RunBitacc compare_manifests(const core::Manifest& manifest, const core::Manifest& reference,
                            const core::FileSelection& selection, Strict strict) {
  RunBitacc result;
  core::Manifest mine = core::filter_manifest(manifest, selection);
  core::Manifest theirs = core::filter_manifest(reference, selection);
  // As QA-Board, the run's metrics.json is not an output compared bit for bit: metrics are
  // compared by the report, with their tolerances (a compute_time in it changes every run).
  mine.erase(core::k_metrics_file_name);
  theirs.erase(core::k_metrics_file_name);
  bool differs = false;
  for (const auto& [path, entry] : mine) {
    const auto other = theirs.find(path);
    if (other == theirs.end()) {
      result.diffs.push_back(FileDiff{path, FileChange::only_new, entry, std::nullopt});
      differs = differs || strict == Strict::yes;
    } else if (other->second != entry) {
      ++result.compared;
      result.diffs.push_back(FileDiff{path, FileChange::changed, entry, other->second});
      differs = true;
    } else {
      ++result.compared;
    }
  }
  for (const auto& [path, entry] : theirs) {
    if (!mine.contains(path)) {
      result.diffs.push_back(FileDiff{path, FileChange::only_reference, std::nullopt, entry});
      differs = differs || strict == Strict::yes;
    }
  }
  std::sort(result.diffs.begin(), result.diffs.end(),
            [](const FileDiff& a, const FileDiff& b) { return a.path < b.path; });
  result.verdict = differs ? BitaccVerdict::different : BitaccVerdict::identical;
  return result;
}

RunBitacc compare_run(const core::RunRecord& record,
                      const std::optional<core::RunRecord>& reference,
                      const core::FileSelection& selection, Strict strict) {
  return compare_run(record, reference ? &*reference : nullptr, selection, strict);
}

RunBitacc compare_run(const core::RunRecord& record, const core::RunRecord* reference,
                      const core::FileSelection& selection, Strict strict) {
  RunBitacc result;
  if (record.status != core::RunStatus::ok && record.status != core::RunStatus::cached) {
    result.verdict = BitaccVerdict::failed;
  } else if (!reference || (reference->status != core::RunStatus::ok &&
                            reference->status != core::RunStatus::cached)) {
    result.verdict = BitaccVerdict::reference_missing;
  } else {
    result = compare_manifests(record.files, reference->files, selection, strict);
  }
  result.key = record.key;
  result.input = record.input;
  result.label = record.label;
  result.config = core::key_config(record.key);
  return result;
}

std::size_t BitaccReport::count(BitaccVerdict verdict) const {
  return static_cast<std::size_t>(std::count_if(
      runs.begin(), runs.end(), [&](const RunBitacc& run) { return run.verdict == verdict; }));
}

BitaccOutcome BitaccReport::outcome() const {
  if (count(BitaccVerdict::different) > 0 || count(BitaccVerdict::failed) > 0) {
    return BitaccOutcome::different;
  }
  if (runs.empty() || count(BitaccVerdict::reference_missing) == runs.size()) {
    return BitaccOutcome::no_reference;
  }
  return BitaccOutcome::identical;
}

std::string_view to_string(BitaccVerdict verdict) {
  switch (verdict) {
    case BitaccVerdict::identical:
      return "identical";
    case BitaccVerdict::different:
      return "different";
    case BitaccVerdict::reference_missing:
      return "reference-missing";
    case BitaccVerdict::failed:
      return "failed";
  }
  return "failed";
}

std::string_view to_string(FileChange change) {
  switch (change) {
    case FileChange::changed:
      return "changed";
    case FileChange::only_new:
      return "only-new";
    case FileChange::only_reference:
      return "only-reference";
  }
  return "changed";
}

}  // namespace qa::report
