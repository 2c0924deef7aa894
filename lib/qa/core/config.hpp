#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/slurm_options.hpp>
#include <qa/core/visualizations.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// The project configuration, `qaboard.yaml` (SPEC section 2). Paths are absolute, resolved
// against the folder of the file; `~` and `${ENV}` are expanded in paths and in `storage`.
struct ProjectConfig {
  std::filesystem::path file;  // the qaboard.yaml that was read
  std::filesystem::path root;  // its folder: the project root

  std::string name;  // project.name (default: the root folder's name); used in store paths
  std::string reference_branch = "main";
  // project.entrypoint: QA-Board's Python file with `run(context)`, run when run.command is
  // empty; empty when none.
  std::filesystem::path entrypoint;

  // An entry of `inputs.types` (QA-Board): settings that replace the `inputs` ones for the
  // batches and inputs that say `type: <name>`.
  struct InputType {
    std::optional<std::filesystem::path> database;
    std::optional<std::vector<std::string>> globs;
    std::optional<bool> use_parent_folder;
    std::optional<nlohmann::json> configs;  // flattened configuration list
  };

  struct Inputs {
    std::filesystem::path database;  // default: the project root
    std::vector<std::string> globs;  // empty: every file counts
    bool use_parent_folder = false;
    std::vector<std::filesystem::path> batches;        // batches files or globs
    nlohmann::json configs = nlohmann::json::array();  // inputs.configs: default configurations
    std::map<std::string, InputType> types;            // inputs.types
    std::string default_type = "default";  // inputs.types.default: the type of untyped inputs
  } inputs;

  struct Run {
    std::string command;
    std::string postprocess;          // empty: none
    std::optional<double> timeout_s;  // none: no limit
    std::map<std::string, std::string> env;
    nlohmann::json params = nlohmann::json::object();  // default parameters (run.params)
    // run.deps: what a run depends on (files, folders, globs relative to the project root, with
    // the command's placeholders); the run cache's key (runner/run_cache.hpp). Empty: no cache.
    std::vector<std::string> deps;
  } run;

  std::filesystem::path metrics_file;  // outputs.metrics; empty when none
  // outputs.visualizations (QA-Board): what the HTML report shows first, hides, and the files of
  // the input side it shows beside the outputs (visualizations.hpp).
  std::vector<Visualization> visualizations;

  struct BitAccuracy {
    std::vector<std::string> patterns{"*"};
    std::vector<std::string> ignore;
  } bit_accuracy;

  std::string storage;  // a folder (absolute) or an http(s) URL; empty: the default store

  struct Runners {
    std::string default_runner = "local";
    int local_concurrency = 0;  // 0 (or QA-Board's -1): one per core
    SlurmOptions slurm;         // runners.slurm (core/slurm_options.hpp)
  } runners;

  // The QA-Board keys that were read and are ignored, one line each naming the file, the line
  // and the key (SPEC section 2): the tools print them as warnings.
  std::vector<std::string> notices;
};

// The input settings of one input type (QA-Board's `get_settings`): `inputs`' database, globs,
// use_parent_folder and configs, replaced by those that `inputs.types.<type>` gives.
struct InputSettings {
  std::string type = "default";
  std::filesystem::path database;
  std::vector<std::string> globs;
  bool use_parent_folder = false;
  nlohmann::json configs = nlohmann::json::array();
};

// Return the settings of `type` ("default": inputs.types.default's, else `inputs`' own); an
// unknown type is an error naming it, with a suggestion.
[[nodiscard]] Expected<InputSettings> input_settings(const ProjectConfig::Inputs& inputs,
                                                     std::string_view type = "default");

inline constexpr const char* k_config_file_name = "qaboard.yaml";

// Return the path of the qaboard.yaml in `start` or its nearest parent, or an error saying that
// none was found from `start` upward.
//
// Subprojects (QA-Board): when folders above that file hold qaboard.yaml files too, up to the
// first one saying `root: true`, the top of the git working tree holding the file (a folder with
// `.git`; QA-Board goes on to the file system's root) or the file system's root, the uppermost
// is the project and the nearest a subproject of it. load_config reads them merged: the
// subproject's keys replace the project's, maps merged deeply, and a list holding "super" has the
// parent's list spliced in there. Paths are relative to the uppermost file's folder, the project
// root, and the project name is the root's `project.name` followed by the subproject's folder
// (`acme/camera/subproject`). An empty file only marks a subproject.
[[nodiscard]] Expected<std::filesystem::path> find_config(const std::filesystem::path& start);

// Read and validate the configuration in `file` (merged with its parent projects' files, see
// find_config). Unknown keys, wrong types and malformed YAML are errors naming the file, the line
// and the key; QA-Board keys that qatools ignores are listed in `notices`.
[[nodiscard]] Expected<ProjectConfig> load_config(const std::filesystem::path& file);

// Check that `name` is a project name usable in store paths: one or more `/`-separated parts of
// letters, digits, `.`, `_` and `-` (not `.` or `..`).
[[nodiscard]] Expected<void> check_project_name(std::string_view name);

}  // namespace qa::core
