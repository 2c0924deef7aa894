#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// The values a run command can refer to (SPEC section 2).
struct RunValues {
  std::string input_path;      // absolute
  std::string rel_input_path;  // relative to the database
  std::string output_dir;      // absolute
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json configs = nlohmann::json::array();
  std::string project_root;
  std::string commit;
  std::string label;
};

// Return the configuration names of `configs` joined with `:` (maps are left out), the value of
// `{configs}` and QA_CONFIGS.
[[nodiscard]] std::string configs_text(const nlohmann::json& configs);

// Return `value` as command-line text: strings as they are, numbers and booleans as JSON writes
// them, null as empty, lists and maps as compact JSON.
[[nodiscard]] std::string param_text(const nlohmann::json& value);

// Replace in `command` each of `{input_path}`, `{rel_input_path}`, `{output_dir}`,
// `{params.KEY}` (nested keys dotted), `{params_json}`, `{configs}`, `{project_root}`,
// `{commit}` and `{label}` by its value quoted for /bin/sh where it stands: shell-quoted
// outside quotes, escaped for the quotes it is in otherwise (QA-Board's `"{input_path}"` stays
// one argument whatever the path holds; a `{` after a backslash is literal). Other braces are
// left alone (shell and awk code stays intact). A `{params.KEY}` naming no parameter is an error
// that lists the parameters the run has.
[[nodiscard]] Expected<std::string> substitute_placeholders(std::string_view command,
                                                            const RunValues& values);

// Return the environment exported to the command: QA_INPUT_PATH, QA_REL_INPUT_PATH,
// QA_OUTPUT_DIR, QA_PARAMS (JSON), QA_CONFIGS, QA_CONFIGS_JSON (the configurations, maps
// included, as a JSON list), QA_COMMIT, QA_LABEL, QA_PROJECT_ROOT.
[[nodiscard]] std::map<std::string, std::string> run_environment(const RunValues& values);

}  // namespace qa::core
