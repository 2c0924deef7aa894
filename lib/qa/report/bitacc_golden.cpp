#include <qa/report/bitacc_golden.hpp>

#include <fmt/core.h>

#include <optional>
#include <utility>

namespace qa::report {

namespace {

std::string_view word_of(FileChange change) {
  switch (change) {
    case FileChange::only_new:
      return "added";
    case FileChange::only_reference:
      return "removed";
    case FileChange::changed:
      break;
  }
  return "changed";
}

}  // namespace

core::Golden golden_of(const core::RunRecord& record, const core::FileSelection& selection) {
  core::Golden golden{record.key, record.input, {}};
  for (const auto& [path, entry] : record.files) {
    if (is_compared(path, selection)) {
      golden.files.emplace(path, entry);
    }
  }
  return golden;
}

Expected<BitaccReport> compare_with_goldens(const std::filesystem::path& dir,
                                            const std::vector<core::RunRecord>& records,
                                            const core::FileSelection& selection, Strict strict) {
  BitaccReport report;
  report.golden = dir.string();
  for (const auto& record : records) {
    QA_TRY_ASSIGN(const auto golden, core::read_golden(dir, record.key));
    report.runs.push_back(
        compare_run_files(record, golden ? &golden->files : nullptr, selection, strict));
  }
  return report;
}

Expected<AcceptOutcome> accept_goldens(const std::filesystem::path& dir,
                                       const std::vector<core::RunRecord>& records,
                                       const core::FileSelection& selection) {
  AcceptOutcome outcome;
  // Read every previous golden manifest first: one that cannot be read stops before any write.
  std::vector<std::pair<core::Golden, std::optional<core::Golden>>> goldens;
  for (const auto& record : records) {
    if (!core::succeeded(record.status)) {
      outcome.rejected.push_back(RejectedRun{record.key, record.status});
      continue;
    }
    QA_TRY_ASSIGN(auto previous, core::read_golden(dir, record.key));
    goldens.emplace_back(golden_of(record, selection), std::move(previous));
  }
  // Every file of a golden manifest is compared: it holds only selected files already.
  const core::FileSelection everything;
  for (const auto& [golden, previous] : goldens) {
    AcceptedRun run;
    run.key = golden.key;
    run.created = !previous.has_value();
    run.files = golden.files.size();
    if (previous) {
      run.diffs = compare_manifests(golden.files, previous->files, everything, Strict::yes).diffs;
    }
    QA_TRY_ASSIGN(run.write, core::write_golden(dir, golden));
    outcome.accepted.push_back(std::move(run));
  }
  return outcome;
}

std::string accept_to_text(const AcceptOutcome& outcome, const std::string& dir) {
  std::string out;
  std::size_t created = 0;
  std::size_t changed = 0;
  for (const auto& run : outcome.accepted) {
    if (run.created) {
      ++created;
      out += fmt::format("{:<18} {}  ({} file{})\n", "new golden", run.key, run.files,
                         run.files == 1 ? "" : "s");
      continue;
    }
    for (const auto& diff : run.diffs) {
      out += fmt::format("{:<18} {}  {}\n", word_of(diff.change), run.key, diff.path);
    }
    if (run.diffs.empty() && run.write == core::GoldenWrite::written) {
      // The same files, but the text was not as accept writes it (edited by hand, or its input).
      out += fmt::format("{:<18} {}\n", "rewritten", run.key);
    }
    changed += !run.diffs.empty() || run.write == core::GoldenWrite::written;
  }
  out += fmt::format("accepted {} run{} into {}: {} new, {} changed, {} unchanged\n",
                     outcome.accepted.size(), outcome.accepted.size() == 1 ? "" : "s", quote(dir),
                     created, changed, outcome.accepted.size() - created - changed);
  return out;
}

}  // namespace qa::report
