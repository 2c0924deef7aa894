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

// Where a placeholder stands in the shell command: its value is quoted for that place.
enum class Quoting { none, single, double_quotes };

// Return `value` quoted for `where`: shell-quoted outside quotes; inside '...' each `'` closes,
// escapes and reopens; inside "..." the characters special there (`\`, `"`, `$`, `` ` ``) are
// escaped. So QA-Board's `"{input_path}"` stays one argument whatever the path holds.
std::string quote_for(Quoting where, std::string_view value) {
  switch (where) {
    case Quoting::single: {
      std::string out;
      for (const char c : value) {
        if (c == '\'') {
          out += "'\\''";
        } else {
          out += c;
        }
      }
      return out;
    }
    case Quoting::double_quotes: {
      std::string out;
      for (const char c : value) {
        if (c == '\\' || c == '"' || c == '$' || c == '`') {
          out += '\\';
        }
        out += c;
      }
      return out;
    }
    case Quoting::none:
      break;
  }
  return util::shell_quote(value);
}

// Follow the shell's quoting through the command's own text `c` (one character at a time;
// `escaped` is whether the previous one was a backslash that applies).
void track_quoting(char c, Quoting& where, bool& escaped) {
  if (escaped) {
    escaped = false;
    return;
  }
  switch (where) {
    case Quoting::none:
      if (c == '\\') {
        escaped = true;
      } else if (c == '\'') {
        where = Quoting::single;
      } else if (c == '"') {
        where = Quoting::double_quotes;
      }
      break;
    case Quoting::single:
      if (c == '\'') {
        where = Quoting::none;
      }
      break;
    case Quoting::double_quotes:
      if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        where = Quoting::none;
      }
      break;
  }
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
  Quoting where = Quoting::none;
  bool escaped = false;
  // Append the command's own text, following its quoting.
  auto append = [&](std::string_view text) {
    for (const char c : text) {
      track_quoting(c, where, escaped);
    }
    out.append(text);
  };
  std::size_t pos = 0;
  while (pos < command.size()) {
    const std::size_t open = command.find('{', pos);
    if (open == std::string_view::npos) {
      append(command.substr(pos));
      break;
    }
    append(command.substr(pos, open - pos));
    std::size_t close = open + 1;
    while (close < command.size() && is_placeholder_char(command[close])) {
      ++close;
    }
    if (close >= command.size() || command[close] != '}' || escaped) {
      append("{");
      pos = open + 1;
      continue;
    }
    const std::string_view name = command.substr(open + 1, close - open - 1);
    if (const auto it = simple.find(name); it != simple.end()) {
      out += quote_for(where, it->second);
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
      out += quote_for(where, param_text(*value));
    } else if (const auto typo = misspelt_placeholder(name, simple);
               typo && (open == 0 || command[open - 1] != '$')) {
      // Left as it is, the text would reach the command and fail it far from the cause.
      return fail("unknown placeholder {{{}}} in the run command (did you mean {{{}}}?)", name,
                  *typo);
    } else {
      append(command.substr(open, close - open + 1));  // shell or program text
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
