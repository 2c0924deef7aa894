// `qa batch` and `qa optimize`: QA-Board's batch commands, run by qa-batch.
#include <charconv>
#include <iostream>

#include <qa/cli/qa_compat.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/run_record.hpp>
#include <qa/core/tuning.hpp>
#include <qa/runner/execute.hpp>
#include <qa/runner/plan.hpp>
#include <qa/util/strings.hpp>

namespace qa::cli::compat {

namespace {

namespace fs = std::filesystem;

// The options of both `qa batch` and `qa optimize`: the batch and how qa-batch runs it, which
// run_qa_batch passes on.
const std::vector<OptionSpec> k_run_options{
    {{"--batch", "-b"}, true},       {{"--batches-file"}, true},       {{"--runner"}, true},
    {{"--local-concurrency"}, true}, {{"--action-on-existing"}, true}, {{"--keep-previous"}, false},
};

// Return `own`, a command's own options, followed by k_run_options.
std::vector<OptionSpec> with_run_options(std::vector<OptionSpec> own) {
  own.insert(own.end(), k_run_options.begin(), k_run_options.end());
  return own;
}

// `qa batch`: the tuning search, the listings, and QA-Board's options that qatools ignores
// (note_ignored names them).
const std::vector<OptionSpec> k_batch_options = with_run_options({
    {{"--tuning-search"}, true},
    {{"--tuning-search-file"}, true},
    {{"--no-wait"}, false},
    {{"--list"}, false},
    {{"--list-output-dirs"}, false},
    {{"--list-inputs"}, false},
    {{"--lsf-threads"}, true},
    {{"--lsf-max-memory"}, true},
    {{"--lsf-queue"}, true},
    {{"--lsf-fast-queue"}, true},
    {{"--lsf-resources"}, true},
    {{"--lsf-priority"}, true},
    {{"--action-on-pending"}, true},
    {{"--prefix-outputs-path"}, true},
    {{"--no-postprocess"}, false},
    {{"--save-manifests-in-database"}, false},
});

// `qa optimize`: the optimization file and how many points are evaluated at once.
const std::vector<OptionSpec> k_optimize_options = with_run_options({
    {{"--config-file"}, true},
    {{"--parallel-param-sampling"}, true},
});

// The batch as QA-Board reads it: `--batch` names, else the first other argument; the other
// arguments are forwarded to every run.
struct BatchArgs {
  ParsedArgs parsed;
  std::vector<std::string> names;
  std::vector<std::string> forwarded;
  std::optional<std::string> tuning_search;  // JSON, or @FILE
};

Expected<BatchArgs> read_batch_args(const std::vector<std::string>& args) {
  BatchArgs batch;
  QA_TRY_ASSIGN(batch.parsed,
                parse_command_args("batch", args, k_batch_options, Interspersed::yes));
  batch.names = batch.parsed.all("--batch");
  batch.forwarded = batch.parsed.rest;
  if (batch.names.empty()) {
    if (batch.forwarded.empty()) {
      return fail_as(ErrorKind::usage,
                     "no batch given: use `qa batch BATCH` or `qa batch --batch B1 --batch B2`");
    }
    batch.names.push_back(batch.forwarded.front());
    batch.forwarded.erase(batch.forwarded.begin());
  }
  if (const auto search = batch.parsed.last("--tuning-search")) {
    batch.tuning_search = *search;
  } else if (const auto file = batch.parsed.last("--tuning-search-file")) {
    batch.tuning_search = "@" + *file;
  }
  return batch;
}

// The folder of the database the input `spec` was found in.
fs::path database_of(const runner::RunSpec& spec) {
  fs::path database = spec.input_path;
  const fs::path rel = spec.rel_input_path;
  for (auto part = rel.begin(); part != rel.end(); ++part) {
    database = database.parent_path();
  }
  return database;
}

// QA-Board's `--list` item: the run's planned record, with the names QA-Board's run context
// gives (input_path, rel_input_path, database, configurations, extra_parameters, platform,
// command) where the record has no such field.
Expected<nlohmann::json> list_item(const runner::ProjectContext& context,
                                   const runner::RunSpec& spec,
                                   const std::vector<std::string>& forwarded) {
  nlohmann::json item = core::to_json(runner::planned_record(context, spec));
  QA_TRY_ASSIGN(const auto command, runner::build_command(context, spec, forwarded));
  const nlohmann::json qaboard{
      {"input_path", spec.input_path.string()}, {"rel_input_path", spec.rel_input_path},
      {"database", database_of(spec).string()}, {"configurations", spec.configs},
      {"extra_parameters", spec.params},        {"platform", "linux"},
      {"output_dir", spec.output_dir.string()}, {"command", command},
  };
  for (const auto& [name, value] : qaboard.items()) {
    if (!item.contains(name)) {
      item[name] = value;
    }
  }
  return item;
}

// --list, --list-output-dirs, --list-inputs and --dryrun: the plan, computed here, run nothing.
Expected<int> print_plan(const GroupOptions& group, const BatchArgs& batch) {
  QA_TRY_ASSIGN(const auto context, project_context(group.common));
  QA_TRY_ASSIGN(auto request, plan_request(group.common, batch.names));
  for (const auto& file : batch.parsed.all("--batches-file")) {
    request.batches_files.emplace_back(file);
  }
  if (batch.tuning_search) {
    QA_TRY_ASSIGN(const auto search, core::read_tuning_argument(*batch.tuning_search));
    QA_TRY_ASSIGN(request.tuning_points, core::tuning_points(search));
  }
  QA_TRY_ASSIGN(const auto plan, runner::make_plan(context, request));
  if (batch.parsed.has("--list")) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& spec : plan) {
      QA_TRY_ASSIGN(auto item, list_item(context, spec, batch.forwarded));
      list.push_back(std::move(item));
    }
    std::cout << list.dump(2) << "\n";
  } else if (batch.parsed.has("--list-output-dirs") || batch.parsed.has("--list-inputs")) {
    const bool dirs = batch.parsed.has("--list-output-dirs");
    for (const auto& spec : plan) {
      std::cout << (dirs ? spec.output_dir : spec.input_path).string() << "\n";
    }
  } else {
    // --dryrun: QA-Board shows each run's command and output folder on stderr.
    for (const auto& spec : plan) {
      QA_TRY_ASSIGN(const auto command, runner::build_command(context, spec, batch.forwarded));
      std::cerr << command << "\n   " << spec.output_dir.string() << "\n";
    }
  }
  return k_exit_ok;
}

Expected<std::vector<std::string>> runner_args(const BatchArgs& batch) {
  std::vector<std::string> args;
  if (const auto runner = batch.parsed.last("--runner")) {
    args.insert(args.end(), {"--runner", *runner});
  }
  if (const auto concurrency = batch.parsed.last("--local-concurrency")) {
    // joblib's n_jobs: 0 unlimited, -1 one per core but one; qatools' default is one per core.
    int jobs = 0;
    const auto* end = concurrency->data() + concurrency->size();
    if (std::from_chars(concurrency->data(), end, jobs).ptr != end) {
      return fail_as(ErrorKind::usage, "invalid --local-concurrency {}: expected an integer",
                     quote(*concurrency));
    }
    if (jobs > 0) {
      args.insert(args.end(), {"-j", *concurrency});
    }
  }
  if (const auto action = batch.parsed.last("--action-on-existing")) {
    if (*action != "run" && *action != "skip") {
      return fail_as(ErrorKind::usage,
                     "--action-on-existing {} is not supported: qatools runs again (run) or keeps "
                     "this commit's ok records (skip)",
                     quote(*action));
    }
    args.insert(args.end(), {"--on-existing", *action});
  }
  if (batch.parsed.has("--keep-previous")) {
    args.emplace_back("--keep-previous");
  }
  return args;
}

// Run qa-batch as `qa batch` and `qa optimize` do: the group's options, the names and batches
// files of `batch`, then `options` (the command's own), the runner options (runner_args) and,
// after `--`, the arguments forwarded to every run.
Expected<int> run_qa_batch(const GroupOptions& group, const BatchArgs& batch,
                           const std::vector<std::string>& options) {
  auto tool_args = common_args(group);
  tool_args.insert(tool_args.end(), batch.names.begin(), batch.names.end());
  for (const auto& file : batch.parsed.all("--batches-file")) {
    tool_args.insert(tool_args.end(), {"--batches-file", file});
  }
  tool_args.insert(tool_args.end(), options.begin(), options.end());
  QA_TRY_ASSIGN(const auto runner, runner_args(batch));
  tool_args.insert(tool_args.end(), runner.begin(), runner.end());
  if (!batch.forwarded.empty()) {
    tool_args.emplace_back("--");
    tool_args.insert(tool_args.end(), batch.forwarded.begin(), batch.forwarded.end());
  }
  return call_tool(qa_batch, "qa-batch", tool_args);
}

void note_ignored(const BatchArgs& batch) {
  std::vector<std::string> ignored;
  for (const auto* name :
       {"--no-wait", "--lsf-threads", "--lsf-max-memory", "--lsf-queue", "--lsf-fast-queue",
        "--lsf-resources", "--lsf-priority", "--action-on-pending", "--prefix-outputs-path",
        "--no-postprocess", "--save-manifests-in-database"}) {
    if (batch.parsed.has(name)) {
      ignored.emplace_back(name);
    }
  }
  if (!ignored.empty()) {
    note(fmt::format("ignored: {}", util::join(ignored, ", ")));
  }
}

}  // namespace

Expected<int> optimize_command(const GroupOptions& group, const std::vector<std::string>& args) {
  BatchArgs batch;
  QA_TRY_ASSIGN(batch.parsed,
                parse_command_args("optimize", args, k_optimize_options, Interspersed::yes));
  batch.names = batch.parsed.all("--batch");
  batch.forwarded = batch.parsed.rest;
  const auto file = batch.parsed.last("--config-file");
  if (batch.names.empty() || !file) {
    return fail_as(ErrorKind::usage,
                   "qa optimize needs --batch B (repeatable) and --config-file FILE, the "
                   "optimization file");
  }
  std::vector<std::string> options{"--optimize", *file};
  if (const auto parallel = batch.parsed.last("--parallel-param-sampling")) {
    options.insert(options.end(), {"--parallel-sampling", *parallel});
  }
  return run_qa_batch(group, batch, options);
}

Expected<int> batch_command(const GroupOptions& group, const std::vector<std::string>& args) {
  QA_TRY_ASSIGN(const auto batch, read_batch_args(args));
  note_ignored(batch);
  if (group.dryrun || batch.parsed.has("--list") || batch.parsed.has("--list-output-dirs") ||
      batch.parsed.has("--list-inputs")) {
    return print_plan(group, batch);
  }
  std::vector<std::string> options;
  if (batch.tuning_search) {
    options = {"--tuning-search", *batch.tuning_search};
  }
  return run_qa_batch(group, batch, options);
}

}  // namespace qa::cli::compat
