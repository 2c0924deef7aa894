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
  std::optional<std::string> store;             // --store
  std::optional<std::filesystem::path> config;  // an explicit qaboard.yaml (tests, scripts)
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
  std::string input;                 // the input's identity: relative to inputs.database
  std::string rel_input_path;        // relative to the database of its batch
  std::filesystem::path input_path;  // absolute
  nlohmann::json configs = nlohmann::json::array();
  nlohmann::json params = nlohmann::json::object();
  std::string label = "default";
  std::string key;
  std::filesystem::path output_dir;
  core::SlurmOptions slurm;  // its batch's `slurm:` block (qa-batch --runner slurm)
  std::string reference;     // its batch's `reference:`; empty: none
};

// Resolve the input `input_arg` (relative to the database, or absolute inside it) and build the
// run's spec: params merged (run.params, config maps, then `param_overrides`), key (from the
// configurations and `param_overrides`, without run.params), output folder
// (`output_dir` when given, else `<output_root>/<key>`). A missing input is an error naming it
// and the database.
[[nodiscard]] Expected<RunSpec> make_run_spec(
    const ProjectContext& context, std::string_view input_arg, const nlohmann::json& configs,
    const nlohmann::json& param_overrides, std::string_view label,
    const std::optional<std::filesystem::path>& output_dir);

// Build the spec of the input `rel_input_path` of `database` (a batch's database, which may
// differ from inputs.database: the input's identity, and so its key, is then its path relative
// to inputs.database, else to the project root, else its absolute path).
[[nodiscard]] Expected<RunSpec> make_batch_run_spec(const ProjectContext& context,
                                                    const std::filesystem::path& database,
                                                    const std::string& rel_input_path,
                                                    const nlohmann::json& configs,
                                                    const nlohmann::json& param_patches,
                                                    std::string_view label);

}  // namespace qa::runner
