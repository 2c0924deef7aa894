#include <iostream>

#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/run_record_writer.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/execute.hpp>
#include <qa/runner/local_runner.hpp>
#include <qa/runner/run_cache.hpp>
#include <qa/store/store.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>

namespace qa::cli {

namespace {

constexpr std::string_view k_examples = R"(Examples:
  qa-run --input images/a.png
      run the command of qaboard.yaml on data/images/a.png (inputs.database), record the
      outputs and metrics under the current commit, print the record as one JSON line
  qa-run --input a.png --config base --param strength=0.8
      the same with a configuration name and a parameter ({params.strength} in run.command)
  qa-run --input a.png --dry-run
      print the exact command without running it
  qa-run --input a.png -- --verbose
      append arguments to the command

With run.deps in qaboard.yaml, a run whose command, parameters, configurations, input and
dependencies are those of a stored ok run (any commit) is not run again: its record reuses
those outputs, with status "cached" (--no-cache runs it anyway).

Without run.command, project.entrypoint (QA-Board's qa/main.py with run(context)) runs, and
the arguments after -- are its context.forwarded_args.
Outputs go to <project>/output/<key>/ (or QA_OUTPUT_ROOT, or --output-dir), which is emptied
first; the command's stdout and stderr go to qa-run.log there. Exit codes: 0 the run succeeded,
1 it failed or timed out, 2 usage, configuration or environment error, 130 interrupted.)";

struct RunOptions {
  CommonOptions common;
  std::string input;
  std::optional<std::string> output_dir;
  bool keep_previous = false;
  bool dry_run = false;
  bool no_cache = false;
  std::vector<std::string> extra_args;
};

Expected<int> run(const RunOptions& options) {
  // Commands are stopped with their process groups, and no half-written record is left.
  util::install_interrupt_handlers();
  QA_TRY_ASSIGN(const auto context, project_context(options.common));
  QA_TRY_ASSIGN(const auto configs, parse_configs(options.common.configs));
  QA_TRY_ASSIGN(const auto params, parse_params(options.common.params));
  std::optional<std::filesystem::path> output_dir;
  if (options.output_dir) {
    output_dir = *options.output_dir;
  }
  QA_TRY_ASSIGN(const auto spec, runner::make_run_spec(context, options.input, configs, params,
                                                       options.common.label, output_dir));
  if (options.dry_run) {
    QA_TRY_ASSIGN(const auto command, runner::build_command(context, spec, options.extra_args));
    std::cout << command << "\n";
    return k_exit_ok;
  }
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location));
  util::log::debug("commit {} on {}, store {}", context.commit.key(),
                   context.commit.branch.value_or("(detached)"), store.describe());
  runner::ExecuteOptions execute;
  execute.keep_previous =
      options.keep_previous ? runner::KeepPrevious::yes : runner::KeepPrevious::no;
  execute.extra_args = options.extra_args;
  execute.use_cache = options.no_cache ? runner::UseCache::no : runner::UseCache::yes;
  const auto hash_cache = runner::load_key_hash_cache(context);
  execute.hash_cache = hash_cache.get();
  QA_TRY_ASSIGN(const auto record, runner::execute_run(context, store, spec, execute));
  runner::save_key_hash_cache(hash_cache.get());
  std::cout << core::to_json_line(record) << "\n";
  // Readers of a commit that has packs take its runs from them: a run recorded alone goes in a
  // pack of its own too.
  if (const auto packed = store.has_packs(context.config.name, context.commit.key());
      packed && *packed) {
    runner::write_pack(context, store, {spec}, {record});
  }
  const bool ok = core::succeeded(record.status);
  if (record.status == core::RunStatus::cached) {
    util::log::info("cached {}: the outputs of commit {}, nothing ran", record.key,
                    record.cached_from.substr(0, 12));
  } else if (ok) {
    util::log::info("ok {} in {:.2f} s, outputs in {}", record.key, record.timing.wall_s,
                    record.output_dir);
  } else {
    util::log::info("{} {} (exit code {}), log: {}", core::to_string(record.status), record.key,
                    record.exit_code.value_or(-1), record.log ? record.log->path : "");
  }
  return ok ? k_exit_ok : k_exit_check_failed;
}

}  // namespace

int qa_run(int argc, char** argv) {
  RunOptions options;
  auto app = make_app("qa-run", "Run the project's command on one input and record its outputs",
                      k_examples);
  add_common_options(*app, options.common);
  app->add_option("-i,--input", options.input, "Input path, relative to inputs.database")
      ->required();
  app->add_option("--output-dir", options.output_dir,
                  "Folder for the outputs (default: <project>/output/<key>)");
  app->add_flag("--keep-previous", options.keep_previous,
                "Do not empty the output folder before the run");
  app->add_flag("--dry-run", options.dry_run, "Print the command that would run, run nothing");
  app->add_flag("--no-cache", options.no_cache,
                "Run even when the run cache (run.deps) holds this run's outputs");
  app->add_option("extra", options.extra_args, "Arguments appended to the command (after --)");
  return run_tool("qa-run", *app, &options.common, argc, argv, [&] { return run(options); });
}

}  // namespace qa::cli
