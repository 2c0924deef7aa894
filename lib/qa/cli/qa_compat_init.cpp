// `qa init`: a commented qaboard.yaml and an example batches file for a new project.
#include <cctype>
#include <iostream>

#include <qa/cli/qa_compat.hpp>
#include <qa/git/repository.hpp>
#include <qa/util/atomic_file.hpp>

namespace qa::cli::compat {

namespace {

namespace fs = std::filesystem;

// The qaboard.yaml that `qa init` writes; {name} and {branch} are replaced.
constexpr std::string_view k_config =
    R"(# qaboard.yaml: how qatools (and QA-Board) run this project. Written by `qa init`.
project:
  # The name is used in store paths; the reference branch is the one merge requests compare with.
  name: {name}
  reference_branch: {branch}

inputs:
  database: .                   # input paths are relative to this folder (e.g. data/images)
  # globs: ['*.png']            # which files of a folder are inputs (default: every file)
  batches: qa/batches.yaml      # batches of inputs: `qa batch smoke`, `qa-batch smoke`

run:
  # The command of one run. Placeholders: {input_path} (absolute), {rel_input_path},
  # {output_dir} (emptied before each run), {params.NAME}, {params_json}, {configs},
  # {project_root}, {commit}, {label}. Arguments after the input (`qa run -i X ARGS`) are appended.
  command: cp -R {input_path} {output_dir}/
  # postprocess: python3 metrics.py {output_dir} > {output_dir}/metrics.json
  # timeout: 600                # seconds; the run is killed and marked timeout
  # params: {strength: 0.5}     # default parameters, overridden by configs and --tuning
  # env: {OMP_NUM_THREADS: "1"}
  # Without run.command, project.entrypoint names a Python file with QA-Board's run(context).

# outputs:
#   metrics: qa/metrics.yaml    # QA-Board's metrics file: available_metrics, main_metrics

# bit_accuracy:                 # what `qa check-bit-accuracy` / qa-bitacc compare
#   patterns: ['*']
#   ignore: ['*.log']

# storage: /shared/qatools      # the store: a folder or http(s)://host/prefix (or QA_STORE)
)";

// The example batches file (QA-Board's format).
constexpr std::string_view k_batches =
    R"(# Batches of inputs, QA-Board's format: run one with `qa batch smoke` (or `qa-batch smoke`).
smoke:
  inputs:
    - qaboard.yaml              # paths relative to inputs.database; folders and globs work too
  # configs: [base]             # configurations passed to every run ({configs})

# nightly:
#   inputs: ['images/*.png']
#   matrix:
#     params.strength: [0.2, 0.5, 0.8]
)";

std::string replaced(std::string text, std::string_view placeholder, std::string_view value) {
  const auto at = text.find(placeholder);
  if (at != std::string::npos) {
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

// The project name `qa init` proposes: the folder's name in the characters project names allow
// (letters, digits, ".", "_", "-"), others written "-".
std::string project_name(const std::string& folder) {
  std::string name;
  for (const char c : folder) {
    const auto u = static_cast<unsigned char>(c);
    const bool allowed = (u < 0x80 && std::isalnum(u) != 0) || c == '.' || c == '_' || c == '-';
    if (allowed) {
      name += c;
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && (name.back() == '-' || name.back() == '.')) {
    name.pop_back();
  }
  return name.empty() || name.front() == '.' ? "project" : name;
}

}  // namespace

Expected<int> init_command(const GroupOptions& group, const std::vector<std::string>& args) {
  if (!args.empty()) {
    return fail_as(ErrorKind::usage, "qa init takes no argument, got {}", quote(args.front()));
  }
  const fs::path folder = fs::current_path();
  QA_TRY_ASSIGN(const auto repo, git::Repository::discover(folder));
  std::error_code ec;
  for (const char* existing : {"qaboard.yaml", "qatools.yaml"}) {
    if (fs::exists(folder / existing, ec)) {
      note(fmt::format("{} already exists: nothing written", existing));
      return k_exit_ok;
    }
  }
  const fs::path batches = folder / "qa" / "batches.yaml";
  if (fs::exists(batches, ec)) {
    return fail_as(ErrorKind::usage,
                   "cannot write {}: the file exists (qa init overwrites nothing)",
                   quote("qa/batches.yaml"));
  }
  const auto branch = repo.head_branch();
  const std::string reference = branch && *branch ? **branch : std::string("main");
  const std::string name = project_name(folder.filename().string());
  // Quoted as JSON strings, which YAML reads back unchanged.
  const std::string config =
      replaced(replaced(std::string(k_config), "{name}", nlohmann::json(name).dump()), "{branch}",
               nlohmann::json(reference).dump());
  if (group.dryrun) {
    std::cout << config;
    return k_exit_ok;
  }
  QA_TRY(util::write_file_atomic(batches, k_batches, util::Fsync::no));
  QA_TRY(util::write_file_atomic(folder / "qaboard.yaml", config, util::Fsync::no));
  note("wrote qaboard.yaml and qa/batches.yaml: edit them, then try `qa batch smoke`");
  return k_exit_ok;
}

}  // namespace qa::cli::compat
