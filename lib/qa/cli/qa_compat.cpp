#include <qa/cli/qa_compat.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include <qa/cli/tools.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/git/repository.hpp>
#include <qa/util/strings.hpp>

namespace qa::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_footer =
    R"(Commands (QA-Board's command line, run by the qatools tools):
  run -i INPUT [FORWARDED...]     qa-run --input INPUT -- FORWARDED...
  batch [-b] BATCH [FORWARDED...]
                                  qa-batch BATCH... -- FORWARDED...  (--list prints QA-Board's
                                  JSON list of runs, --list-output-dirs and --list-inputs one
                                  line per run; --action-on-existing run|skip is --on-existing)
  optimize -b BATCH --config-file FILE [--parallel-param-sampling N] [FORWARDED...]
                                  qa-batch BATCH... --optimize FILE: the evaluations are labelled
                                  LABEL.iterN (QA-Board: LABEL|iterN)
  get VARIABLE [-i INPUT]         commit_id, commit_branch, project, subproject, database, label,
                                  output_dir (with -i), store, reference (qa-get)
  check-bit-accuracy [--batch B]  qa-bitacc B... (no batch: every run of HEAD); exit 0 identical,
                                  1 different, 3 no reference results
  init                            write a commented qaboard.yaml and qa/batches.yaml
  help                            this help

Group options go before the command: `qa --label L -c base --tuning '{"strength": 0.8}' batch
smoke`. --tuning (and --tuning-filepath) become qatools parameters (--param), -c the
configurations (--config). --share and --offline change nothing: results always go to the store;
--platform, --database and --type are ignored with a note. Deprecated spellings (--batch-label,
--dry-run, --ci, --group, --groups-file, --input-path, check_bit_accuracy, ...) still work.
Exit codes are those of the tool run; 2 for usage errors, as for an unknown command.)";

struct CommandInfo {
  std::string_view name;
  std::string_view replacement;  // for QA-Board's commands qatools has no equivalent of
};

const std::vector<CommandInfo> k_commands{
    {"run", ""},
    {"batch", ""},
    {"optimize", ""},
    {"get", ""},
    {"check-bit-accuracy", ""},
    {"init", ""},
    {"help", ""},
    {"postprocess", "run.postprocess runs after every qa-run"},
    {"sync", "records are written by the runs themselves"},
    {"wait", "qa-batch waits for its runs"},
    {"save-artifacts", "store build outputs with your CI's artifacts"},
    {"check-bit-accuracy-manifest", "use qa-bitacc --golden DIR (--accept writes them)"},
};

bool is_command(const std::string& token) {
  return std::any_of(k_commands.begin(), k_commands.end(),
                     [&](const CommandInfo& command) { return command.name == token; });
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& command : k_commands) {
    names.emplace_back(command.name);
  }
  return names;
}

// QA-Board's `-c` value may list several configurations separated by `:`, JSON ones included
// (`base:{"strength": 0.5}`); `-` is none.
std::vector<std::string> split_configurations(const std::string& value) {
  std::vector<std::string> configs;
  if (value == "-") {
    return configs;
  }
  std::string json_part;
  for (const auto& token : util::split(value, ':')) {
    if (json_part.empty() && !token.starts_with("{")) {
      configs.push_back(token);
      continue;
    }
    json_part = json_part.empty() ? token : json_part + ":" + token;
    if (nlohmann::json::accept(json_part)) {
      configs.push_back(json_part);
      json_part.clear();
    }
  }
  if (!json_part.empty()) {
    configs.push_back(json_part);  // not JSON after all: --config reports it
  }
  return configs;
}

// Return `--tuning-filepath`'s parameters as one JSON object (YAML or JSON file).
Expected<std::string> read_tuning_file(const std::string& path) {
  auto node = core::load_yaml_file(path);
  if (!node) {
    return fail_as(ErrorKind::usage, "invalid --tuning-filepath: {}", node.error().message);
  }
  if (!node->IsMap()) {
    return fail_as(ErrorKind::usage, "invalid --tuning-filepath {}: expected a map of parameters",
                   quote(path));
  }
  return core::yaml_to_json(*node).dump();
}

struct RawGroupOptions {
  bool verbose = false;
  std::optional<std::string> store;
  std::optional<std::string> label;
  std::vector<std::string> configurations;
  std::optional<std::string> tuning;
  std::optional<std::string> tuning_filepath;
  std::optional<std::string> platform;
  std::optional<std::string> database;
  std::optional<std::string> input_type;
  bool dryrun = false;
  bool share = false;
  bool offline = false;
};

Expected<compat::GroupOptions> group_options(const RawGroupOptions& raw) {
  compat::GroupOptions group;
  group.common.verbose = raw.verbose;
  group.common.store = raw.store;
  group.common.label = raw.label.value_or("default");
  for (const auto& value : raw.configurations) {
    for (auto& config : split_configurations(value)) {
      group.common.configs.push_back(std::move(config));
    }
  }
  if (raw.tuning) {
    if (!nlohmann::json::accept(*raw.tuning) || !nlohmann::json::parse(*raw.tuning).is_object()) {
      return fail_as(ErrorKind::usage, "invalid --tuning {}: expected a JSON object",
                     quote(*raw.tuning));
    }
    group.common.params.push_back(*raw.tuning);
  } else if (raw.tuning_filepath) {
    QA_TRY_ASSIGN(auto params, read_tuning_file(*raw.tuning_filepath));
    group.common.params.push_back(std::move(params));
  }
  group.dryrun = raw.dryrun;
  if (raw.platform) {
    compat::note(
        fmt::format("--platform {} is ignored: runs use this machine", quote(*raw.platform)));
  }
  if (raw.database) {
    compat::note(fmt::format("--database {} is ignored: inputs.database of qaboard.yaml is used",
                             quote(*raw.database)));
  }
  if (raw.input_type) {
    compat::note(fmt::format("--type {} is ignored: inputs of qaboard.yaml are used",
                             quote(*raw.input_type)));
  }
  return group;
}

Expected<int> run_command(const compat::GroupOptions& group, const std::vector<std::string>& args) {
  const std::vector<compat::OptionSpec> specs{{{"--input", "-i"}, true},
                                              {{"--output", "-o"}, true},
                                              {{"--keep-previous"}, false},
                                              {{"--no-postprocess"}, false},
                                              {{"--save-manifests-in-database"}, false}};
  QA_TRY_ASSIGN(const auto parsed,
                compat::parse_command_args("run", args, specs, compat::Interspersed::no));
  const auto input = parsed.last("--input");
  if (!input) {
    return fail_as(ErrorKind::usage, "qa run needs -i INPUT (see qa --help)");
  }
  if (parsed.has("--no-postprocess") || parsed.has("--save-manifests-in-database")) {
    compat::note("--no-postprocess and --save-manifests-in-database are ignored");
  }
  auto tool_args = compat::common_args(group);
  tool_args.insert(tool_args.end(), {"--input", *input});
  if (const auto output = parsed.last("--output")) {
    tool_args.insert(tool_args.end(), {"--output-dir", *output});
  }
  if (parsed.has("--keep-previous")) {
    tool_args.emplace_back("--keep-previous");
  }
  if (group.dryrun) {
    tool_args.emplace_back("--dry-run");
  }
  if (!parsed.rest.empty()) {
    tool_args.emplace_back("--");
    tool_args.insert(tool_args.end(), parsed.rest.begin(), parsed.rest.end());
  }
  return compat::call_tool(qa_run, "qa-run", tool_args);
}

// QA-Board's `subproject`: the project's folder relative to the root of its git repository.
Expected<std::string> subproject(const runner::ProjectContext& context) {
  QA_TRY_ASSIGN(const auto repo, git::Repository::discover(context.config.root));
  const auto relative = fs::weakly_canonical(context.config.root)
                            .lexically_relative(fs::weakly_canonical(repo.workdir()));
  return relative.empty() ? std::string(".") : relative.string();
}

Expected<int> get_command(const compat::GroupOptions& group, const std::vector<std::string>& args) {
  const std::vector<compat::OptionSpec> specs{{{"--input", "-i"}, true},
                                              {{"--output", "-o"}, true}};
  QA_TRY_ASSIGN(const auto parsed,
                compat::parse_command_args("get", args, specs, compat::Interspersed::yes));
  if (parsed.rest.size() != 1) {
    return fail_as(ErrorKind::usage, "qa get needs one VARIABLE (see qa --help)");
  }
  const std::string& variable = parsed.rest.front();
  const std::vector<std::string> known{"commit_id",  "commit_branch", "branch",    "project",
                                       "subproject", "database",      "label",     "batch_label",
                                       "output_dir", "store",         "reference", "platform"};
  if (std::find(known.begin(), known.end(), variable) == known.end()) {
    return fail_as(ErrorKind::usage, "cannot get {}: unknown variable{}", quote(variable),
                   util::suggestion_suffix(variable, known));
  }
  if (variable == "output_dir" || variable == "store" || variable == "reference") {
    auto tool_args = compat::common_args(group);
    tool_args.push_back(variable);
    if (const auto input = parsed.last("--input")) {
      tool_args.insert(tool_args.end(), {"--input", *input});
    }
    return compat::call_tool(qa_get, "qa-get", tool_args);
  }
  if (variable == "label" || variable == "batch_label") {
    std::cout << group.common.label << "\n";
    return k_exit_ok;
  }
  if (variable == "platform") {
    std::cout << "linux\n";
    return k_exit_ok;
  }
  QA_TRY_ASSIGN(const auto context, project_context(group.common));
  if (variable == "commit_id") {
    std::cout << context.commit.sha << "\n";
  } else if (variable == "commit_branch" || variable == "branch") {
    std::cout << context.commit.branch.value_or("") << "\n";
  } else if (variable == "project") {
    std::cout << context.config.name << "\n";
  } else if (variable == "database") {
    std::cout << context.config.inputs.database.string() << "\n";
  } else {
    QA_TRY_ASSIGN(const auto folder, subproject(context));
    std::cout << folder << "\n";
  }
  return k_exit_ok;
}

Expected<int> check_bit_accuracy_command(const compat::GroupOptions& group,
                                         const std::vector<std::string>& args) {
  const std::vector<compat::OptionSpec> specs{{{"--reference"}, true},
                                              {{"--batch", "-b"}, true},
                                              {{"--batches-file"}, true},
                                              {{"--strict"}, false},
                                              {{"--reference-platform"}, true}};
  QA_TRY_ASSIGN(const auto parsed, compat::parse_command_args("check-bit-accuracy", args, specs,
                                                              compat::Interspersed::yes));
  auto tool_args = compat::common_args(group);
  std::vector<std::string> batches = parsed.all("--batch");
  // The documentation writes `qa check-bit-accuracy BATCH`: positionals are batches too.
  for (const auto& word : parsed.rest) {
    if (word.starts_with("-")) {
      return fail_as(ErrorKind::usage, "unknown option {} of qa check-bit-accuracy (see qa --help)",
                     quote(word));
    }
    batches.push_back(word);
  }
  if (batches.empty()) {
    // QA-Board then checks every output of the commit: every stored run of HEAD.
    tool_args.insert(tool_args.end(), {"--commit", "HEAD"});
  }
  tool_args.insert(tool_args.end(), batches.begin(), batches.end());
  if (const auto reference = parsed.last("--reference")) {
    tool_args.insert(tool_args.end(), {"--reference", *reference});
  }
  for (const auto& file : parsed.all("--batches-file")) {
    tool_args.insert(tool_args.end(), {"--batches-file", file});
  }
  if (parsed.has("--strict")) {
    tool_args.emplace_back("--strict");
  }
  if (parsed.has("--reference-platform")) {
    compat::note("--reference-platform is ignored: runs of one platform are compared");
  }
  return compat::call_tool(qa_bitacc, "qa-bitacc", tool_args);
}

Expected<int> dispatch(const CLI::App& app, const compat::GroupOptions& group,
                       std::vector<std::string> words) {
  if (words.empty()) {
    return fail_as(ErrorKind::usage,
                   "no command given: one of run, batch, get, "
                   "check-bit-accuracy, init (see qa --help)");
  }
  const std::string command = compat::current_spelling(words.front());
  words.erase(words.begin());
  if (command.starts_with("-")) {
    return fail_as(ErrorKind::usage, "unknown option {} (see qa --help)", quote(command));
  }
  // `qa run` and `qa batch` forward what follows their input or batch: only a leading --help
  // is theirs.
  const auto is_help = [](const std::string& word) { return word == "-h" || word == "--help"; };
  const bool forwards = command == "run" || command == "batch";
  const bool wants_help = forwards ? !words.empty() && is_help(words.front())
                                   : std::any_of(words.begin(), words.end(), is_help);
  if (command == "help" || wants_help) {
    std::cout << app.help();
    return k_exit_ok;
  }
  if (command == "run") {
    return run_command(group, words);
  }
  if (command == "batch") {
    return compat::batch_command(group, words);
  }
  if (command == "optimize") {
    return compat::optimize_command(group, words);
  }
  if (command == "get") {
    return get_command(group, words);
  }
  if (command == "check-bit-accuracy") {
    return check_bit_accuracy_command(group, words);
  }
  if (command == "init") {
    return compat::init_command(group, words);
  }
  for (const auto& info : k_commands) {
    if (info.name == command) {
      return fail_as(ErrorKind::usage, "qa {} has no qatools equivalent: {}", command,
                     info.replacement);
    }
  }
  return fail_as(ErrorKind::usage, "unknown command {}{} (see qa --help)", quote(command),
                 util::suggestion_suffix(command, command_names()));
}

}  // namespace

int qa_compat(int argc, char** argv) {
  // Deprecated spellings of the group options and commands, up to the command.
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 1; i < args.size(); ++i) {
    args[i] = compat::current_spelling(args[i]);
    if (is_command(args[i])) {
      break;
    }
  }
  std::vector<char*> renamed;
  for (auto& arg : args) {
    renamed.push_back(arg.data());
  }

  RawGroupOptions raw;
  auto app = make_app("qa", "QA-Board's command line, run by the qatools tools", k_footer);
  app->prefix_command();  // the command and its arguments are read by `dispatch`
  app->add_flag("-v,--verbose", raw.verbose, "Print debug logs on stderr");
  app->add_option("--store", raw.store, "Store location (default: QA_STORE, storage:, ...)");
  app->add_option("-l,--label", raw.label, "Label of the runs (default: default)");
  app->add_option("-c,--config,--configuration", raw.configurations,
                  "Configuration: a name, JSON, or several joined by ':' (repeatable)")
      ->allow_extra_args(false);
  app->add_option("--tuning", raw.tuning, "Parameters as a JSON object (qatools --param)");
  app->add_option("--tuning-filepath", raw.tuning_filepath, "Parameters from a JSON or YAML file");
  app->add_flag("--dryrun", raw.dryrun, "Show what would run, run nothing");
  app->add_flag("--share", raw.share, "Accepted: results always go to the store");
  app->add_flag("--offline", raw.offline, "Accepted: qatools talks to no QA-Board server");
  app->add_option("--platform", raw.platform, "Ignored (with a note)");
  app->add_option("--database", raw.database, "Ignored (with a note): inputs.database is used");
  app->add_option("--type", raw.input_type, "Ignored (with a note)");
  return run_tool("qa", *app, nullptr, argc, renamed.data(), [&]() -> Expected<int> {
    QA_TRY_ASSIGN(const auto group, group_options(raw));
    return dispatch(*app, group, app->remaining());
  });
}

}  // namespace qa::cli
