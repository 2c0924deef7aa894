#include <qa/core/placeholders.hpp>

#include <algorithm>
#include <optional>
#include <vector>

#include <qa/util/shell.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace {

const nlohmann::json* find_param(const nlohmann::json& params, std::string_view dotted) {
  const nlohmann::json* node = &params;
  for (const auto& part : util::split(dotted, '.')) {
    if (!node->is_object() || !node->contains(part)) {
      return nullptr;
    }
    node = &(*node)[part];
  }
  return node;
}

std::vector<std::string> param_names(const nlohmann::json& params) {
  std::vector<std::string> names;
  for (const auto& [key, _] : params.items()) {
    names.push_back(key);
  }
  return names;
}

bool is_placeholder_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Return the placeholder that `name` is a likely typo of, or nothing: text in braces that is
// far from every placeholder (awk's `{print}`, a JSON object) is the command's own.
std::optional<std::string> misspelt_placeholder(
    std::string_view name, const std::map<std::string_view, std::string>& known) {
  for (const auto& [placeholder, unused] : known) {
    const std::size_t distance = util::edit_distance(name, placeholder);
    if (distance > 0 && distance <= std::max<std::size_t>(1, placeholder.size() / 4)) {
      return std::string(placeholder);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string configs_text(const nlohmann::json& configs) {
  std::vector<std::string> names;
  for (const auto& config : configs) {
    if (config.is_string()) {
      names.push_back(config.get<std::string>());
    }
  }
  return util::join(names, ":");
}

std::string param_text(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return {};
  }
  return value.dump();
}

Expected<std::string> substitute_placeholders(std::string_view command, const RunValues& values) {
  const std::map<std::string_view, std::string> simple{
      {"input_path", values.input_path},
      {"rel_input_path", values.rel_input_path},
      {"output_dir", values.output_dir},
      {"params_json", values.params.dump()},
      {"configs", configs_text(values.configs)},
      {"project_root", values.project_root},
      {"commit", values.commit},
      {"label", values.label},
  };
  std::string out;
  std::size_t pos = 0;
  while (pos < command.size()) {
    const std::size_t open = command.find('{', pos);
    if (open == std::string_view::npos) {
      out.append(command.substr(pos));
      break;
    }
    out.append(command.substr(pos, open - pos));
    std::size_t close = open + 1;
    while (close < command.size() && is_placeholder_char(command[close])) {
      ++close;
    }
    if (close >= command.size() || command[close] != '}') {
      out += '{';
      pos = open + 1;
      continue;
    }
    const std::string_view name = command.substr(open + 1, close - open - 1);
    if (const auto it = simple.find(name); it != simple.end()) {
      out += util::shell_quote(it->second);
    } else if (name.starts_with("params.")) {
      const std::string_view key = name.substr(7);
      const nlohmann::json* value = find_param(values.params, key);
      if (value == nullptr) {
        const auto names = param_names(values.params);
        return fail(
            "cannot substitute {{{}}}: the run has no parameter {}{} (parameters: {}; "
            "set it with --param {}=VALUE, a config or run.params)",
            name, quote(key), util::suggestion_suffix(key, names),
            names.empty() ? std::string("none") : util::join(names, ", "), key);
      }
      out += util::shell_quote(param_text(*value));
    } else if (const auto typo = misspelt_placeholder(name, simple);
               typo && (open == 0 || command[open - 1] != '$')) {
      // Left as it is, the text would reach the command and fail it far from the cause.
      return fail("unknown placeholder {{{}}} in the run command (did you mean {{{}}}?)", name,
                  *typo);
    } else {
      out.append(command.substr(open, close - open + 1));  // shell or program text
    }
    pos = close + 1;
  }
  return out;
}

std::map<std::string, std::string> run_environment(const RunValues& values) {
  return {
      {"QA_INPUT_PATH", values.input_path},
      {"QA_REL_INPUT_PATH", values.rel_input_path},
      {"QA_OUTPUT_DIR", values.output_dir},
      {"QA_PARAMS", values.params.dump()},
      {"QA_CONFIGS", configs_text(values.configs)},
      {"QA_CONFIGS_JSON",
       values.configs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
      {"QA_COMMIT", values.commit},
      {"QA_LABEL", values.label},
      {"QA_PROJECT_ROOT", values.project_root},
  };
}

}  // namespace qa::core
