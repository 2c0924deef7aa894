#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <qa/runner/context.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// QA-Board entrypoints (SPEC section 9): when `run.command` is empty, `project.entrypoint`, a
// Python file with `run(context)`, is run by `qatools_entrypoint.py` of qatools' Python module
// (`python/`: the runner script and the `qaboard` package it offers the entrypoint).

inline constexpr const char* k_entrypoint_runner = "qatools_entrypoint.py";

// Return the folder of qatools' Python module: `QA_PYTHON_DIR` when set (an error when it holds
// no runner script), else `<folder of the executable>/../share/qatools/python` when it exists
// (the installed layout), else the source tree's `python/`.
[[nodiscard]] Expected<std::filesystem::path> python_module_dir();

// Return the shell command that runs the entrypoint of `config` for one run:
// `python3 -u <module dir>/qatools_entrypoint.py <entrypoint> <extra_args>...`, each quoted;
// `extra_args` become the entrypoint's `context.forwarded_args`. A missing entrypoint file or
// python3 (looked up in PATH) is an error naming it.
[[nodiscard]] Expected<std::string> entrypoint_command(const core::ProjectConfig& config,
                                                       const std::vector<std::string>& extra_args);

// Return what an entrypoint run needs beyond the run's QA_* variables, for the `qaboard.config`
// names: QA_PROJECT (project.name, a subproject's included), QA_SUBPROJECT (the subproject's
// folder relative to the project's, `.` for none), QA_BRANCH (empty when detached),
// QA_OUTPUTS_COMMIT (the output root), QA_PLATFORM (linux) and QA_CONFIG_JSON (qaboard.yaml as
// JSON, a storage URL without its userinfo; left out when it cannot be read again).
[[nodiscard]] std::map<std::string, std::string> entrypoint_environment(
    const ProjectContext& context);

}  // namespace qa::runner
