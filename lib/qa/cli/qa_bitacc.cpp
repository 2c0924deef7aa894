#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>
#include <qa/report/bitacc_golden.hpp>
#include <qa/report/bitacc_writers.hpp>
#include <qa/runner/output_dir.hpp>
#include <qa/runner/records.hpp>
#include <qa/runner/reference.hpp>
#include <qa/store/store.hpp>
#include <qa/util/env.hpp>
#include <qa/util/hash_cache.hpp>
#include <qa/util/log.hpp>

namespace qa::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_examples = R"(Examples:
  qa-batch smoke | qa-bitacc            compare the runs just made with the reference's
  qa-bitacc smoke                       the same from the store (the runs of HEAD)
  qa-bitacc --commit v1.3 smoke         the stored runs of another commit
  qa-bitacc --reference v1.2 smoke      against an explicit sha, tag or branch
  qa-bitacc smoke --format junit > bitacc.xml
                                        the same as JUnit XML, for CI test views
  qa-bitacc out/a out/b                 two plain folders
  qa-bitacc smoke --golden qa/golden    against the golden manifests kept in qa/golden
  qa-bitacc smoke --golden qa/golden --accept
                                        make the current outputs golden (then review and commit)

Only manifests are compared: a check against a remote store downloads records, no output
file. Files are selected by bit_accuracy.patterns and .ignore of qaboard.yaml (or --pattern and
--ignore); a file present on one side only fails the check with --strict.

Golden manifests are a reference that does not move with the branch: one JSON file per run,
DIR/<run key>.json (schema qa.golden/1, stable text for review), holding the hashes and sizes of
the files bit accuracy compares. --golden DIR compares with them instead of a reference commit;
--accept writes the runs' manifests there, prints what changed, and accepts no run that failed
(exit 1, the others are written); golden manifests of other runs are left alone.

Exit codes: 0 every run identical (or accepted), 1 a run differs or failed, 2 usage,
configuration or environment error, 3 no reference results (no golden manifest).)";

struct BitaccOptions {
  CommonOptions common;
  std::vector<std::string> words;
  std::vector<std::string> batches_files;
  std::optional<std::string> commit;
  std::optional<std::string> reference;  // default auto
  std::optional<std::string> golden;
  bool accept = false;
  std::vector<std::string> patterns;
  std::vector<std::string> ignore;
  bool strict = false;
  std::string format = "text";
  int max_depth = 20;
};

int exit_code_of(report::BitaccOutcome outcome) {
  switch (outcome) {
    case report::BitaccOutcome::different:
      return k_exit_check_failed;
    case report::BitaccOutcome::no_reference:
      return k_exit_no_reference;
    case report::BitaccOutcome::identical:
      break;
  }
  return k_exit_ok;
}

void write_report(const report::BitaccReport& result, const std::string& format) {
  if (format == "json") {
    std::cout << report::bitacc_to_json(result).dump(2) << "\n";
  } else if (format == "junit") {
    std::cout << report::bitacc_to_junit(result);
  } else if (format == "md") {
    std::cout << report::bitacc_to_markdown(result);
  } else {
    std::cout << report::bitacc_to_text(result);
  }
  if (util::env_value("GITHUB_ACTIONS") == "true") {
    std::cerr << report::bitacc_to_github_annotations(result);
  }
}

core::FileSelection selection_of(const BitaccOptions& options,
                                 const core::FileSelection& configured) {
  core::FileSelection selection = configured;
  if (!options.patterns.empty()) {
    selection.patterns = options.patterns;
  }
  if (!options.ignore.empty()) {
    selection.ignore = options.ignore;
  }
  return selection;
}

// The options that only --golden takes, and the ones it does not take.
Expected<void> check_golden_options(const BitaccOptions& options) {
  if (!options.golden) {
    if (options.accept) {
      return fail_as(ErrorKind::usage, "--accept needs --golden DIR: it writes golden manifests");
    }
    return {};
  }
  if (options.golden->empty()) {
    return fail_as(ErrorKind::usage, "invalid --golden \"\": expected a folder");
  }
  if (options.reference) {
    return fail_as(ErrorKind::usage,
                   "--golden and --reference cannot be combined: the golden manifests are the "
                   "reference");
  }
  if (options.accept && options.format != "text") {
    return fail_as(ErrorKind::usage, "--accept prints what it changed as text: drop --format {}",
                   options.format);
  }
  return {};
}

// Check `records` against the golden manifests of --golden, or accept them there.
Expected<int> against_goldens(const BitaccOptions& options,
                              const std::vector<core::RunRecord>& records,
                              const core::FileSelection& selection) {
  const std::string& dir = *options.golden;
  if (options.accept) {
    QA_TRY_ASSIGN(const auto outcome, report::accept_goldens(dir, records, selection));
    std::cout << report::accept_to_text(outcome, dir);
    for (const auto& run : outcome.rejected) {
      util::log::warning("run {} is not accepted: its status is {}", quote(run.key),
                         quote(core::to_string(run.status)));
    }
    if (!outcome.rejected.empty()) {
      return fail_as(ErrorKind::check_failed,
                     "cannot accept {} of {} runs: they did not succeed (the others are accepted)",
                     outcome.rejected.size(), records.size());
    }
    return k_exit_ok;
  }
  QA_TRY_ASSIGN(const auto result, report::compare_with_goldens(
                                       dir, records, selection,
                                       options.strict ? report::Strict::yes : report::Strict::no));
  write_report(result, options.format);
  if (result.outcome() == report::BitaccOutcome::no_reference) {
    std::error_code ec;
    util::log::info(
        "no run has a golden manifest in {}{}: accept the current outputs with "
        "--accept, review and commit them",
        quote(dir), fs::is_directory(dir, ec) ? "" : " (no such folder)");
  }
  return exit_code_of(result.outcome());
}

Expected<int> compare_folders(const BitaccOptions& options) {
  const fs::path a = options.words[0];
  const fs::path b = options.words[1];
  const auto cache_file = util::HashCache::default_location();
  auto cache = cache_file ? util::HashCache::load(*cache_file) : nullptr;
  const core::FileSelection selection = selection_of(options, core::FileSelection{});
  // qa-run's own files (its log, its folder marker) are not outputs.
  const auto& reserved = runner::reserved_output_names();
  // Both folders at once: a warm cache leaves only listing and stat calls, one thread each.
  Expected<core::Manifest> reference;
  Expected<core::Manifest> manifest;
  {
    const std::jthread scan_a(
        [&] { reference = core::build_manifest(a, selection, reserved, 0, cache.get()); });
    manifest = core::build_manifest(b, selection, reserved, 0, cache.get());
  }
  QA_TRY(reference);
  QA_TRY(manifest);
  if (cache) {
    if (auto saved = cache->save(); !saved) {
      util::log::warning("{}", saved.error().message);
    }
    util::log::debug("hash cache: {} files not read again", cache->hits());
  }
  report::BitaccReport result;
  auto run = report::compare_manifests(*manifest, *reference, selection,
                                       options.strict ? report::Strict::yes : report::Strict::no);
  run.key = b.string();
  run.input = b.string();
  run.label = "folders";
  run.config = a.string();
  result.runs.push_back(std::move(run));
  write_report(result, options.format);
  return exit_code_of(result.outcome());
}

Expected<int> run(const BitaccOptions& options) {
  QA_TRY(check_golden_options(options));
  std::error_code ec;
  if (options.words.size() == 2 && !options.golden) {
    const bool a_folder = fs::is_directory(options.words[0], ec);
    const bool b_folder = fs::is_directory(options.words[1], ec);
    if (a_folder && b_folder) {
      return compare_folders(options);
    }
    // One folder and one file: the user meant two folders, not batches.
    if (a_folder != b_folder && fs::exists(options.words[a_folder ? 1 : 0], ec)) {
      return fail_as(ErrorKind::usage, "cannot compare {} with {}: {} is not a folder",
                     quote(options.words[0]), quote(options.words[1]),
                     quote(options.words[a_folder ? 1 : 0]));
    }
  }
  QA_TRY_ASSIGN(const auto context, project_context(options.common));
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location, store::Access::read_only));

  runner::RecordQuery query;
  query.tool = "qa-bitacc";
  QA_TRY_ASSIGN(query.plan, plan_request(options.common, options.words));
  for (const auto& file : options.batches_files) {
    query.plan.batches_files.emplace_back(file);
  }
  query.commit = options.commit;
  query.missing = runner::MissingRuns::fail;
  QA_TRY_ASSIGN(auto selected, runner::select_records(context, store, query));
  const auto& records = selected.records;
  QA_TRY(check_one_project(records));
  if (records.empty()) {
    return fail("no runs to check");
  }

  const core::FileSelection selection =
      selection_of(options, core::FileSelection{context.config.bit_accuracy.patterns,
                                                context.config.bit_accuracy.ignore});
  if (options.golden) {
    return against_goldens(options, records, selection);
  }

  // One reference for all (--reference, else auto), or one per batch that names its own.
  report::BitaccReport result;
  std::vector<std::optional<core::RunRecord>> references(records.size());
  const auto groups = runner::reference_groups(options.reference, selected);
  std::vector<nlohmann::json> choices;
  std::string last_commit;
  for (const auto& group : groups) {
    runner::ReferenceRequest request;
    request.ref = group.ref;
    request.max_depth = options.max_depth;
    for (const std::size_t i : group.records) {
      request.keys.push_back(records[i].key);
    }
    QA_TRY_ASSIGN(const auto choice, runner::resolve_reference(context, store, request));
    util::log::info("reference {}: {}", choice.commit.substr(0, 12), choice.reason);
    // Only records travel: a remote check downloads no output file.
    QA_TRY_ASSIGN(auto found, store.get_runs(records.front().project, choice.commit, request.keys));
    for (std::size_t j = 0; j < group.records.size(); ++j) {
      references[group.records[j]] = std::move(found[j]);
    }
    choices.push_back(runner::to_json(choice));
    last_commit = choice.commit;
  }
  result.reference = runner::references_json(groups, std::move(choices));
  for (std::size_t i = 0; i < records.size(); ++i) {
    result.runs.push_back(
        report::compare_run(records[i], references[i], selection,
                            options.strict ? report::Strict::yes : report::Strict::no));
  }
  write_report(result, options.format);
  if (result.outcome() == report::BitaccOutcome::no_reference) {
    util::log::info("no run has results at {}: produce them with qa-batch at that commit",
                    last_commit.substr(0, 12));
  }
  return exit_code_of(result.outcome());
}

}  // namespace

int qa_bitacc(int argc, char** argv) {
  BitaccOptions options;
  auto app = make_app("qa-bitacc",
                      "Check that outputs are bit-identical to the reference commit's, or to "
                      "golden manifests",
                      k_examples);
  add_common_options(*app, options.common);
  app->add_option("batch", options.words, "Batches, aliases or inputs; or two folders");
  app->add_option("--batches-file", options.batches_files,
                  "A batches file, read after inputs.batches (repeatable)")
      ->allow_extra_args(false);
  app->add_option("--commit", options.commit,
                  "Check the stored runs of this sha, tag or branch (default: HEAD)");
  app->add_option("--reference", options.reference,
                  "auto (default; a batch's own reference: first), or a sha, tag, branch or "
                  "milestone");
  app->add_option("--golden", options.golden,
                  "Compare with the golden manifests in DIR (DIR/<run key>.json) instead of a "
                  "reference commit")
      ->type_name("DIR");
  app->add_flag("--accept", options.accept,
                "With --golden: write the runs' manifests into DIR as the new golden ones");
  app->add_option("--pattern", options.patterns, "Compare only files matching (repeatable)")
      ->allow_extra_args(false);
  app->add_option("--ignore", options.ignore, "Never compare files matching (repeatable)")
      ->allow_extra_args(false);
  app->add_flag("--strict", options.strict, "A file present on one side only fails the check");
  app->add_option("--format", options.format, "text, json, junit or md")
      ->check(CLI::IsMember({"text", "json", "junit", "md"}));
  app->add_option("--max-depth", options.max_depth,
                  "First parents walked to find reference results (default 20)")
      ->check(CLI::Range(0, 10000));
  return run_tool("qa-bitacc", *app, &options.common, argc, argv, [&] { return run(options); });
}

}  // namespace qa::cli
