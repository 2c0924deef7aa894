#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/run_record_writer.hpp>
#include <qa/core/tuning.hpp>
#include <qa/runner/branch_index.hpp>
#include <qa/runner/local_runner.hpp>
#include <qa/runner/optimization.hpp>
#include <qa/runner/plan.hpp>
#include <qa/runner/plan_file.hpp>
#include <qa/runner/run_cache.hpp>
#include <qa/runner/shard.hpp>
#include <qa/runner/slurm_reachable.hpp>
#include <qa/runner/slurm_runner.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/time.hpp>

namespace qa::cli {

namespace {

constexpr std::string_view k_examples = R"(Examples:
  qa-batch smoke                      run the batch "smoke" of inputs.batches
  qa-batch nightly -j 8               an alias of several batches, 8 runs at a time
  qa-batch smoke --list               print the plan (status "planned"), run nothing
  qa-batch images/ 'hdr/*.png'        inputs by folder or glob, under inputs.database
  qa-batch smoke --shard 1/4          the runs whose plan index is 1 mod 4 (0-based)
  qa-batch sweep --tuning-search '{"parameter_search": {"strength": [0.1, 0.5]}}'
                                      a grid search: one run per value of strength
  qa-batch nightly | qa-report        records stream on stdout as JSON Lines
  qa-batch nightly --runner slurm     one Slurm job array whose tasks run shards of the plan
                                      (runners.slurm: partition, time, mem, cpus_per_task,
                                      max_parallel, extra_args); records as tasks store them
  qa-batch smoke -- --fast            append arguments to every run's command
  qa-batch smoke --no-cache           run everything, even runs the run cache can answer
  qa-batch tune --optimize qa/optimize.yaml --best best.json
                                      search the parameters that minimize the objective of
                                      QA-Board's optimization file; the best point in best.json

Batches follow QA-Board's format (inputs, configs, matrix, aliases). In GitLab `parallel:` jobs
the shard comes from CI_NODE_INDEX/CI_NODE_TOTAL, in Slurm arrays from SLURM_ARRAY_TASK_ID/
SLURM_ARRAY_TASK_COUNT. Exit codes: 0 every run succeeded, 1 a run failed (or the plan is empty
with --fail-if-empty), 2 usage, configuration or environment error (a run not recorded, a Slurm
task that ended without recording its runs), 130 interrupted; after an interrupt, rerun with
--on-existing skip to finish the batch.

With run.deps in qaboard.yaml (the files runs depend on: the program, scripts, models; globs and
placeholders such as models/{params.model}.onnx allowed), a run whose command, parameters,
configurations, input and dependencies' content are those of a stored ok run (any commit, any
branch) is not run: its record reuses those outputs with status "cached" and "cached_from", and
counts as a success everywhere. A docs-only commit then runs nothing. --no-cache runs it anyway.

--runner slurm plans once and submits one job array (sbatch --array, %max_parallel); task I runs
shard I/N of the plan file under output/.slurm with --from-plan, against the store, which the
nodes must reach (a shared folder, http(s):// or s3://), as the checkout and the tools at the same
paths. Records are read back from the store as tasks write them; Ctrl-C cancels the array.

--optimize FILE reads QA-Board's optimization file unchanged (evaluations, objective, search_space,
preset_params, parallel_sampling, solver.random_state). Each evaluation runs the whole batch at one
point under the label LABEL.iterN and its objective is computed from its records; dlib's global
search picks the next points (--solver random: points drawn at random). An evaluation with a failed
run is a failed trial and the search goes on. The seed (--seed, else QA_SEED, else the file's, else
42) makes a rerun ask the same points: after an interrupt, rerun with --on-existing skip and the
stored evaluations are told again without running. Exit codes: 0 every run succeeded, 1 a run
failed or no evaluation succeeded, 2, 130 as above.)";

struct BatchOptions {
  CommonOptions common;
  std::vector<std::string> names;
  std::vector<std::string> batches_files;
  std::size_t jobs = 0;
  std::optional<std::string> shard;
  std::string runner;
  std::string on_existing = "run";
  std::optional<std::string> tuning_search;
  bool list = false;
  bool fail_fast = false;
  bool fail_if_empty = false;
  bool keep_previous = false;
  bool no_cache = false;
  std::optional<std::string> optimize;
  std::optional<std::string> best;
  std::optional<std::uint64_t> seed;
  std::string solver = "global";
  std::optional<std::size_t> parallel_sampling;
  std::optional<std::string> from_plan;
  std::vector<std::string> extra_args;  // after `--`: appended to every run's command
};

void print_record(const core::RunRecord& record) {
  const std::string line = core::to_json_line(record) + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

Expected<runner::PlanRequest> batch_plan_request(const BatchOptions& options) {
  QA_TRY_ASSIGN(auto request, plan_request(options.common, options.names));
  for (const auto& file : options.batches_files) {
    request.batches_files.emplace_back(file);
  }
  if (options.tuning_search) {
    QA_TRY_ASSIGN(const auto search, core::read_tuning_argument(*options.tuning_search));
    QA_TRY_ASSIGN(request.tuning_points, core::tuning_points(search));
  }
  return request;
}

Expected<std::vector<runner::RunSpec>> select_shard(std::vector<runner::RunSpec> plan,
                                                    const BatchOptions& options) {
  std::optional<runner::Shard> shard;
  if (options.shard) {
    QA_TRY_ASSIGN(shard, runner::parse_shard(*options.shard));
  } else {
    QA_TRY_ASSIGN(shard, runner::shard_from_environment());
  }
  if (!shard || shard->count == 1) {
    return plan;
  }
  std::vector<runner::RunSpec> selected;
  for (const std::size_t i : runner::shard_indices(plan.size(), *shard)) {
    selected.push_back(plan[i]);
  }
  util::log::info("shard {}/{}: {} of {} runs", shard->index, shard->count, selected.size(),
                  plan.size());
  return selected;
}

// The options that only --optimize takes, and the ones it does not take.
Expected<void> check_optimize_options(const BatchOptions& options) {
  if (!options.optimize) {
    if (options.best || options.seed || options.parallel_sampling || options.solver != "global") {
      return fail_as(ErrorKind::usage,
                     "--best, --seed, --solver and --parallel-sampling need --optimize FILE");
    }
    return {};
  }
  if (options.tuning_search) {
    return fail_as(ErrorKind::usage,
                   "--optimize and --tuning-search cannot be combined: the "
                   "search space is the optimization file's");
  }
  if (options.list) {
    return fail_as(ErrorKind::usage,
                   "--list cannot be combined with --optimize: the points are "
                   "known only as the search goes (list the batch without --optimize)");
  }
  if (options.shard) {
    return fail_as(ErrorKind::usage,
                   "--shard cannot be combined with --optimize: a search runs "
                   "in one place (use -j and parallel_sampling)");
  }
  return {};
}

Expected<int> optimize(const runner::ProjectContext& context, store::Store& store,
                       const BatchOptions& options, runner::LocalRunOptions run_options) {
  const auto search = runner::optimization_runner();
  if (!search) {
    return fail_as(ErrorKind::usage,
                   "--optimize is not available in this program (it is built "
                   "without the solver library)");
  }
  runner::OptimizationRequest request;
  request.context = &context;
  request.store = &store;
  QA_TRY_ASSIGN(request.plan, batch_plan_request(options));
  request.run = std::move(run_options);
  request.file = *options.optimize;
  if (options.best) {
    request.best_output = *options.best;
  }
  request.seed = options.seed;
  request.solver = options.solver;
  request.parallel = options.parallel_sampling;
  request.sink = print_record;
  QA_TRY_ASSIGN(const auto outcome, search(request));
  if (outcome.interrupted) {
    util::log::info("interrupted: rerun with --on-existing skip to resume the search");
    return k_exit_interrupted;
  }
  util::log::info("{} evaluations: {} succeeded, {} failed runs", outcome.evaluations,
                  outcome.succeeded, outcome.failed_runs);
  return outcome.failed_runs > 0 || outcome.succeeded == 0 ? k_exit_check_failed : k_exit_ok;
}

// The options that a runner does not take.
Expected<void> check_runner_options(const BatchOptions& options, const std::string& runner_name) {
  if (options.from_plan) {
    if (!options.names.empty() || options.tuning_search || options.optimize ||
        !options.batches_files.empty() || options.runner == "slurm") {
      return fail_as(ErrorKind::usage,
                     "--from-plan runs the runs of a plan file: name no batch, --tuning-search, "
                     "--optimize, --batches-file or --runner slurm with it");
    }
    return {};
  }
  if (runner_name != "slurm") {
    return {};
  }
  if (options.optimize) {
    return fail_as(ErrorKind::usage,
                   "--optimize runs its evaluations on this machine: use --runner local");
  }
  if (options.shard) {
    return fail_as(ErrorKind::usage,
                   "--shard cannot be combined with --runner slurm: the tasks of the job array "
                   "are the shards");
  }
  if (options.fail_fast) {
    return fail_as(ErrorKind::usage, "--fail-fast is not available with --runner slurm");
  }
  return {};
}

// Run `selected` as Slurm job arrays (runner/slurm_runner.hpp), from this folder, with this
// qa-batch (the nodes must have both at the same paths).
Expected<runner::BatchOutcome> run_on_slurm(const runner::ProjectContext& context,
                                            const std::vector<runner::RunSpec>& selected,
                                            const BatchOptions& options,
                                            const runner::LocalRunOptions& run_options) {
  runner::SlurmRunOptions slurm;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  // `qa batch` runs in the `qa` program: its tasks run the qa-batch installed beside it.
  slurm.qa_batch = self.filename() == "qa-batch" ? self : self.parent_path() / "qa-batch";
  if (ec || !std::filesystem::is_regular_file(slurm.qa_batch, ec)) {
    return fail_as(ErrorKind::environment, "cannot find qa-batch beside {} for the Slurm tasks",
                   quote(self.string()));
  }
  slurm.cwd = std::filesystem::current_path();
  std::string stamp = util::rfc3339(std::chrono::system_clock::now());
  std::replace(stamp.begin(), stamp.end(), ':', '-');
  slurm.work_dir = context.output_root / ".slurm" / fmt::format("{}-{}", stamp, ::getpid());
  slurm.on_existing = run_options.on_existing;
  slurm.jobs = options.jobs;
  slurm.extra_args = options.extra_args;
  slurm.verbose = options.common.verbose;
  slurm.use_cache = run_options.execute.use_cache;
  QA_TRY(runner::check_slurm_reachable(context, selected, slurm));
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location));
  return runner::run_slurm(context, store, selected, slurm, print_record);
}

Expected<int> run(const BatchOptions& options) {
  // Commands are stopped with their process groups, and no half-written record is left.
  util::install_interrupt_handlers();
  const auto start = std::chrono::steady_clock::now();
  QA_TRY(check_optimize_options(options));
  QA_TRY_ASSIGN(const auto context, project_context(options.common));
  if (options.names.empty() && !options.from_plan) {
    return fail("no batch given: name batches, aliases or input paths (see --help)");
  }
  // The tasks of a Slurm array run their shard of the plan file here, on their node.
  const std::string runner_name = options.from_plan        ? std::string("local")
                                  : options.runner.empty() ? context.config.runners.default_runner
                                                           : options.runner;
  QA_TRY(check_runner_options(options, runner_name));
  runner::LocalRunOptions run_options;
  run_options.jobs = options.jobs != 0
                         ? options.jobs
                         : static_cast<std::size_t>(context.config.runners.local_concurrency);
  run_options.on_existing =
      options.on_existing == "skip" ? runner::OnExisting::skip : runner::OnExisting::run;
  run_options.fail_fast = options.fail_fast ? runner::FailFast::yes : runner::FailFast::no;
  run_options.execute.keep_previous =
      options.keep_previous ? runner::KeepPrevious::yes : runner::KeepPrevious::no;
  run_options.execute.extra_args = options.extra_args;
  run_options.execute.use_cache = options.no_cache ? runner::UseCache::no : runner::UseCache::yes;
  const auto hash_cache = runner::load_key_hash_cache(context);
  run_options.execute.hash_cache = hash_cache.get();
  // The hashes of inputs and run.deps are kept for the next batch, however this one ends.
  struct SaveHashCache {
    util::HashCache* cache;
    ~SaveHashCache() { runner::save_key_hash_cache(cache); }
  } save_hash_cache{hash_cache.get()};
  if (options.optimize) {
    QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location));
    return optimize(context, store, options, std::move(run_options));
  }

  std::vector<runner::RunSpec> plan;
  if (options.from_plan) {
    QA_TRY_ASSIGN(plan, runner::read_plan_file(*options.from_plan, context));
  } else {
    QA_TRY_ASSIGN(const auto request, batch_plan_request(options));
    QA_TRY_ASSIGN(plan, runner::make_plan(context, request));
  }
  QA_TRY_ASSIGN(const auto selected, select_shard(plan, options));
  if (selected.empty()) {
    util::log::warning("the plan is empty: {} expands to no run", util::join(options.names, " "));
    return options.fail_if_empty ? k_exit_check_failed : k_exit_ok;
  }
  if (options.list) {
    for (const auto& spec : selected) {
      print_record(runner::planned_record(context, spec));
    }
    return k_exit_ok;
  }

  runner::BatchOutcome outcome;
  if (runner_name == "slurm") {
    QA_TRY_ASSIGN(outcome, run_on_slurm(context, selected, options, run_options));
  } else {
    QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location));
    // One sync of the store at the end of the batch instead of two per record (see
    // store::DocumentSync): an interrupted batch is finished by a rerun with --on-existing skip.
    store.set_document_sync(store::DocumentSync::on_flush);
    outcome = runner::run_local(context, store, selected, run_options, print_record);
    QA_TRY(store.flush());
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  util::log::info(
      "{} runs: {} ok, {}{} failed, {} skipped{} in {:.1f} s", selected.size(), outcome.ok,
      outcome.cached > 0 ? fmt::format("{} cached (nothing ran), ", outcome.cached) : "",
      outcome.failed, outcome.skipped,
      outcome.errors > 0 ? fmt::format(", {} not recorded", outcome.errors) : "", seconds);
  if (outcome.interrupted) {
    util::log::info("interrupted: rerun with --on-existing skip to finish the batch");
    return k_exit_interrupted;
  }
  if (outcome.errors > 0) {
    return fail_as(ErrorKind::environment,
                   "{} of {} runs not recorded: the store refused them (see the warnings above)",
                   outcome.errors, selected.size());
  }
  if (outcome.failed > 0) {
    return k_exit_check_failed;
  }
  if (options.from_plan) {
    return k_exit_ok;  // the branch index is the submitting qa-batch's to update
  }
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location));
  QA_TRY_ASSIGN(const bool updated, runner::update_branch_index(context, store, plan));
  if (updated) {
    util::log::info("branch index of {} now points to {}", *context.commit.branch,
                    context.commit.sha);
  }
  return k_exit_ok;
}

}  // namespace

int qa_batch(int argc, char** argv) {
  BatchOptions options;
  auto app = make_app("qa-batch",
                      "Run batches of inputs x configurations in parallel and "
                      "stream their records as JSON Lines",
                      k_examples);
  add_common_options(*app, options.common);
  app->add_option("batch", options.names, "Batches, aliases, input paths or globs");
  app->add_option("--batches-file", options.batches_files,
                  "A batches file, read after inputs.batches (repeatable)")
      ->allow_extra_args(false);
  app->add_option("-j,--jobs", options.jobs,
                  "Runs at a time (default: runners.local.concurrency, else one per core; with "
                  "--runner slurm, in each task: default cpus_per_task, else 1)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  app->add_option("--shard", options.shard, "Run the runs whose plan index is I mod N: I/N");
  app->add_option("--runner", options.runner,
                  "local, or slurm: one job array whose tasks run shards of the plan against "
                  "the shared store (default: runners.default)")
      ->check(CLI::IsMember({"local", "slurm"}));
  app->add_option("--from-plan", options.from_plan,
                  "Run the runs of a plan file (qa.plan/1, written by --runner slurm for its "
                  "tasks) instead of batches");
  app->add_option("--on-existing", options.on_existing,
                  "run: run again; skip: keep the ok record of this commit")
      ->check(CLI::IsMember({"run", "skip"}));
  app->add_option("--tuning-search", options.tuning_search,
                  "Parameter search, JSON or @FILE (grid or sampler)");
  app->add_option("--optimize", options.optimize,
                  "Search the parameters that minimize the objective of this QA-Board "
                  "optimization file");
  app->add_option("--best", options.best,
                  "With --optimize: write the best point and every evaluation (qa.optimization/1 "
                  "JSON) to this file");
  app->add_option("--seed", options.seed,
                  "With --optimize: the solver's seed (default QA_SEED, else the file's "
                  "solver.random_state, else 42)");
  app->add_option("--solver", options.solver,
                  "With --optimize: global (dlib's global search, default) or random")
      ->check(CLI::IsMember({"global", "random"}));
  app->add_option("--parallel-sampling", options.parallel_sampling,
                  "With --optimize: points evaluated at once (default: the file's "
                  "parallel_sampling, else 1)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  app->add_flag("--list", options.list, "Print the plan as planned records, run nothing");
  app->add_flag("--fail-fast", options.fail_fast, "Start no new run after one failed");
  app->add_flag("--fail-if-empty", options.fail_if_empty, "Exit 1 when the plan is empty");
  app->add_flag("--no-cache", options.no_cache,
                "Run every run, even those the run cache (run.deps) holds the outputs of");
  app->add_flag("--keep-previous", options.keep_previous,
                "Do not empty output folders before the runs");
  // The arguments after `--` are appended to every run's command, as qa-run appends its own;
  // the batch names come before it.
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      options.extra_args.assign(argv + i + 1, argv + argc);
      own_argc = i;
      break;
    }
  }
  return run_tool("qa-batch", *app, &options.common, own_argc, argv, [&] { return run(options); });
}

}  // namespace qa::cli
