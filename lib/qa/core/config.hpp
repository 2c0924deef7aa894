#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

  struct Inputs {
    std::filesystem::path database;  // default: the project root
    std::vector<std::string> globs;  // empty: every file counts
    bool use_parent_folder = false;
    std::vector<std::filesystem::path> batches;  // batches files or globs
  } inputs;

  struct Run {
    std::string command;
    std::string postprocess;          // empty: none
    std::optional<double> timeout_s;  // none: no limit
    std::map<std::string, std::string> env;
    nlohmann::json params = nlohmann::json::object();  // default parameters (run.params)
  } run;

  std::filesystem::path metrics_file;  // outputs.metrics; empty when none

  struct BitAccuracy {
    std::vector<std::string> patterns{"*"};
    std::vector<std::string> ignore;
  } bit_accuracy;

  std::string storage;  // a folder (absolute) or an http(s) URL; empty: the default store

  struct Runners {
    std::string default_runner = "local";
    int local_concurrency = 0;  // 0: one per core
    std::string slurm_partition;
    int slurm_max_parallel = 0;
    std::vector<std::string> slurm_extra_args;
  } runners;
};

inline constexpr const char* k_config_file_name = "qaboard.yaml";

// Return the path of the qaboard.yaml in `start` or its nearest parent, or an error saying that
// none was found from `start` upward.
[[nodiscard]] Expected<std::filesystem::path> find_config(const std::filesystem::path& start);

// Read and validate the configuration in `file`. Unknown keys, wrong types and malformed YAML
// are errors naming the file, the line and the key.
[[nodiscard]] Expected<ProjectConfig> load_config(const std::filesystem::path& file);

// Check that `name` is a project name usable in store paths: one or more `/`-separated parts of
// letters, digits, `.`, `_` and `-` (not `.` or `..`).
[[nodiscard]] Expected<void> check_project_name(std::string_view name);

}  // namespace qa::core
