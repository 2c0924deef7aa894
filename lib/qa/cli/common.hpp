#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <qa/cli/exit_status.hpp>
#include <qa/core/run_record.hpp>
#include <qa/runner/plan.hpp>
#include <qa/util/error.hpp>

namespace qa::cli {

// The options every tool takes (SPEC section 5).
struct CommonOptions {
  bool verbose = false;
  std::optional<std::string> store;
  std::string label = "default";
  std::vector<std::string> configs;
  std::vector<std::string> params;
};

// Return a CLI11 app for `tool` with `description`, `--version`, and a footer of `examples`.
[[nodiscard]] std::unique_ptr<CLI::App> make_app(std::string_view tool,
                                                 std::string_view description,
                                                 std::string_view examples);

// Add the common options (-v, --store, --label, --config, --param) to `app`.
void add_common_options(CLI::App& app, CommonOptions& options);

// Return the configuration list of `--config` values: a name, or a YAML map such as
// `{strength: 0.5}` read as a parameter patch.
[[nodiscard]] Expected<nlohmann::json> parse_configs(const std::vector<std::string>& values);

// Return the parameters of `--param` values: `K=V` assignments, or YAML maps such as
// `{strength: 0.5}` deep-merged in order.
[[nodiscard]] Expected<nlohmann::json> parse_params(const std::vector<std::string>& values);

// Return the context of the project around the current folder, with the common options' --store.
[[nodiscard]] Expected<runner::ProjectContext> project_context(const CommonOptions& options);

// Check that `records` are all of one project: the reference runs are those of one project, so
// a stream mixing two cannot be compared (`cat a.jsonl b.jsonl | qa-report`).
[[nodiscard]] Expected<void> check_one_project(const std::vector<core::RunRecord>& records);

// Return the plan request of `names` (batches, aliases or inputs) with the common options'
// configurations, parameters and label.
[[nodiscard]] Expected<runner::PlanRequest> plan_request(const CommonOptions& options,
                                                         const std::vector<std::string>& names);

// Run `body` as the tool `tool`: parse `argv` with `app` first (help and version print and exit
// 0; a usage error prints `<tool>: error: ...` and exits 2), set up logging (-v), then call
// `body`. Tools that run commands install the interrupt handlers themselves (util/interrupt.hpp)
// and poll them; the others keep the default: SIGINT ends them at once. An Error from it is printed
// as `<tool>: error: <message>` and its exit code returned; any exception escaping is caught here,
// the one catch of the tool.
int run_tool(std::string_view tool, CLI::App& app, const CommonOptions* common, int argc,
             char** argv, const std::function<Expected<int>()>& body);

}  // namespace qa::cli
