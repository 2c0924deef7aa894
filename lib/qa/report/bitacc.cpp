#include <qa/report/bitacc.hpp>

#include <algorithm>

#include <qa/core/run_key.hpp>
#include <qa/core/run_metrics.hpp>

namespace qa::report {

namespace {

// The files of `reference` when it can serve as a reference (it succeeded), else null.
const core::Manifest* usable_files(const core::RunRecord* reference) {
  return reference != nullptr && core::succeeded(reference->status) ? &reference->files : nullptr;
}

// compare_run_files without the run's identity.
RunBitacc compare_files(const core::RunRecord& record, const core::Manifest* reference,
                        const core::FileSelection& selection, Strict strict) {
  if (!core::succeeded(record.status)) {
    RunBitacc result;
    result.verdict = BitaccVerdict::failed;
    return result;
  }
  if (reference == nullptr) {
    RunBitacc result;
    result.verdict = BitaccVerdict::reference_missing;
    return result;
  }
  return compare_manifests(record.files, *reference, selection, strict);
}

}  // namespace

bool is_compared(const std::string& path, const core::FileSelection& selection) {
  // As QA-Board, the run's metrics.json is not an output compared bit for bit: metrics are
  // compared by the report, with their tolerances (a compute_time in it changes every run).
  return path != core::k_metrics_file_name && selection.selects(path);
}

RunBitacc compare_manifests(const core::Manifest& manifest, const core::Manifest& reference,
                            const core::FileSelection& selection, Strict strict) {
  RunBitacc result;
  const auto compared = [&](const std::string& path) { return is_compared(path, selection); };
  // Both manifests are sorted by path: one merge finds the changes, in path order.
  bool differs = false;
  auto mine = manifest.begin();
  auto theirs = reference.begin();
  while (mine != manifest.end() || theirs != reference.end()) {
    if (mine != manifest.end() && !compared(mine->first)) {
      ++mine;
    } else if (theirs != reference.end() && !compared(theirs->first)) {
      ++theirs;
    } else if (theirs == reference.end() ||
               (mine != manifest.end() && mine->first < theirs->first)) {
      result.diffs.push_back(
          FileDiff{mine->first, FileChange::only_new, mine->second, std::nullopt});
      differs = differs || strict == Strict::yes;
      ++mine;
    } else if (mine == manifest.end() || theirs->first < mine->first) {
      result.diffs.push_back(
          FileDiff{theirs->first, FileChange::only_reference, std::nullopt, theirs->second});
      differs = differs || strict == Strict::yes;
      ++theirs;
    } else {
      ++result.compared;
      if (mine->second != theirs->second) {
        result.diffs.push_back(
            FileDiff{mine->first, FileChange::changed, mine->second, theirs->second});
        differs = true;
      }
      ++mine;
      ++theirs;
    }
  }
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
  return compare_run_files(record, usable_files(reference), selection, strict);
}

RunBitacc compare_outputs(const core::RunRecord& record, const core::RunRecord* reference,
                          const core::FileSelection& selection, Strict strict) {
  return compare_files(record, usable_files(reference), selection, strict);
}

RunBitacc compare_run_files(const core::RunRecord& record, const core::Manifest* reference,
                            const core::FileSelection& selection, Strict strict) {
  RunBitacc result = compare_files(record, reference, selection, strict);
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
