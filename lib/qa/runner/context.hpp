#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <qa/core/config.hpp>
#include <qa/git/repository.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Settings given on the command line; each overrides the QA_* environment, which overrides
// qaboard.yaml, which overrides the built-in defaults.
struct Overrides {
  std::optional<std::string> store;            // --store
  std::optional<std::filesystem::path> config; // an explicit qaboard.yaml (tests, scripts)
};

// Everything a tool needs to know about the project it runs in.
struct ProjectContext {
  core::ProjectConfig config;
  git::CommitIdentity commit;
  std::string store_location;         // --store, QA_STORE, storage:, or the default folder
  std::filesystem::path output_root;  // QA_OUTPUT_ROOT, or <project root>/output
};

// Find qaboard.yaml from `cwd` upward, read it, identify the commit of the project's git
// repository and resolve the store and output locations.
[[nodiscard]] Expected<ProjectContext> load_project_context(const std::filesystem::path& cwd,
                                                            const Overrides& overrides);

// One run to execute: an input under the database, its configurations and parameters.
struct RunSpec {
  std::string input;                  // relative to the database, `/`-separated
  std::filesystem::path input_path;   // absolute
  nlohmann::json configs = nlohmann::json::array();
  nlohmann::json params = nlohmann::json::object();
  std::string label = "default";
  std::string key;
  std::filesystem::path output_dir;
};

// Resolve the input `input_arg` (relative to the database, or absolute inside it) and build the
// run's spec: params merged (run.params, config maps, then `param_overrides`), key, output folder
// (`output_dir` when given, else `<output_root>/<key>`). A missing input is an error naming it
// and the database.
[[nodiscard]] Expected<RunSpec> make_run_spec(const ProjectContext& context,
                                              std::string_view input_arg,
                                              const nlohmann::json& configs,
                                              const nlohmann::json& param_overrides,
                                              std::string_view label,
                                              const std::optional<std::filesystem::path>& output_dir);

}  // namespace qa::runner
