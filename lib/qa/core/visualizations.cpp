#include <qa/core/visualizations.hpp>

#include <qa/core/yaml_schema.hpp>

#include <array>

namespace qa::core {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 4> k_placeholders{"{input_path}", "{rel_input_path}",
                                                         "{project_root}", "{database}"};

constexpr std::size_t k_max_pattern_size = 512;
constexpr int k_max_pattern_depth = 8;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Return the ECMAScript regular expression of QA-Board's path pattern `path` (path-to-regexp:
// `:name`, `:name(regex)`, `(regex)`, `*`, `\` escapes), or an error saying what is wrong.
Expected<std::string> pattern_regex(std::string_view path) {
  // std::regex compiles and matches by recursion: bound what a configuration can ask of it.
  if (path.size() > k_max_pattern_size) {
    return fail("longer than {} characters", k_max_pattern_size);
  }
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '\\' && i + 1 < path.size()) {
      out += '\\';
      out += path[++i];
    } else if (c == ':' && i + 1 < path.size() && is_name_char(path[i + 1])) {
      while (i + 1 < path.size() && is_name_char(path[i + 1])) {
        ++i;
      }
      if (i + 1 >= path.size() || path[i + 1] != '(') {
        out += "([^/]+?)";
      }
    } else if (c == '(') {
      int depth = 0;
      std::size_t end = i;
      for (; end < path.size(); ++end) {
        if (path[end] == '\\') {
          ++end;
        } else if (path[end] == '(' && ++depth > k_max_pattern_depth) {
          return fail("groups nest deeper than {} levels", k_max_pattern_depth);
        } else if (path[end] == ')' && --depth == 0) {
          break;
        } else if (path[end] == '{') {
          return fail("counted repetitions (\"{{\") are not supported in {}", quote(path));
        }
      }
      if (end >= path.size()) {
        return fail("unbalanced \"(\" in {}", quote(path));
      }
      out += path.substr(i, end - i + 1);
      i = end;
    } else if (c == '*') {
      out += "(.*)";
    } else if (std::string_view(".+?^${}|[]/").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

Expected<Visualization> parse_one(const YAML::Node& item, const fs::path& file,
                                  const std::string& key) {
  if (!item.IsMap()) {
    return yaml_error(file, item,
                      fmt::format("{} must be a mapping (name, path, type...)", quote(key)));
  }
  Visualization v;
  v.line = yaml_line(item);
  const auto text = [&](const char* field, std::string& out) -> Expected<void> {
    const YAML::Node value = item[field];
    if (!value || value.IsNull()) {
      return {};
    }
    if (!value.IsScalar()) {
      return yaml_error(file, value, fmt::format("{} must be a string", quote(key + "." + field)));
    }
    out = value.Scalar();
    return {};
  };
  QA_TRY(text("name", v.name));
  QA_TRY(text("path", v.path));
  QA_TRY(text("type", v.type));
  QA_TRY(text("display", v.display));
  if (v.display != "single" && v.display != "all" && v.display != "viewer") {
    return yaml_error(file, item["display"],
                      fmt::format("{} must be single, all or viewer, not {}",
                                  quote(key + ".display"), quote(v.display)));
  }
  if (const YAML::Node hidden = item["default_hidden"]; hidden && !hidden.IsNull()) {
    const std::string value = hidden.IsScalar() ? hidden.Scalar() : std::string();
    if (value == "true" || value == "True") {
      v.default_hidden = true;
    } else if (value != "false" && value != "False") {
      return yaml_error(file, hidden,
                        fmt::format("{} must be true or false", quote(key + ".default_hidden")));
    }
  }
  if (v.name.empty()) {
    v.name = v.path;
  }
  if (!v.path.empty() && !names_run_file(v)) {
    auto regex = pattern_regex(v.path);
    if (!regex) {
      return yaml_error(file, item["path"],
                        fmt::format("{}: {}", quote(key + ".path"), regex.error().message));
    }
    try {
      v.pattern = std::make_shared<const std::regex>(*regex, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      return yaml_error(file, item["path"],
                        fmt::format("{}: invalid regular expression {}: {}", quote(key + ".path"),
                                    quote(*regex), error.what()));
    }
  }
  return v;
}

}  // namespace

Expected<std::vector<Visualization>> parse_visualizations(const YAML::Node& node,
                                                          const fs::path& file) {
  std::vector<Visualization> out;
  if (!node || node.IsNull()) {
    return out;
  }
  if (!node.IsSequence()) {
    return yaml_error(file, node, "\"outputs.visualizations\" must be a list of visualizations");
  }
  std::size_t index = 0;
  for (const auto& item : node) {
    QA_TRY_ASSIGN(auto v, parse_one(item, file, fmt::format("outputs.visualizations[{}]", index)));
    out.push_back(std::move(v));
    ++index;
  }
  return out;
}

bool names_run_file(const Visualization& visualization) {
  for (const auto placeholder : k_placeholders) {
    if (visualization.path.find(placeholder) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool matches_output(const Visualization& visualization, std::string_view output_path) {
  if (!visualization.pattern) {
    return false;
  }
  return std::regex_match(output_path.begin(), output_path.end(), *visualization.pattern);
}

std::optional<fs::path> visualization_file(const Visualization& visualization,
                                           const VisualizationValues& values) {
  std::string path = visualization.path;
  const std::array<std::pair<std::string_view, std::string>, 4> replacements{{
      {"{input_path}", values.input_path.string()},
      {"{rel_input_path}", values.rel_input_path},
      {"{project_root}", values.project_root.string()},
      {"{database}", values.database.string()},
  }};
  for (const auto& [placeholder, value] : replacements) {
    for (auto at = path.find(placeholder); at != std::string::npos;
         at = path.find(placeholder, at + value.size())) {
      path.replace(at, placeholder.size(), value);
    }
  }
  fs::path file(path);
  if (file.is_relative()) {
    file = values.project_root / file;
  }
  file = file.lexically_normal();
  const auto inside = [&](const fs::path& root) {
    if (root.empty()) {
      return false;
    }
    const fs::path relative = file.lexically_relative(root.lexically_normal());
    return !relative.empty() && *relative.begin() != "..";
  };
  if (!inside(values.project_root) && !inside(values.database)) {
    return std::nullopt;
  }
  return file;
}

}  // namespace qa::core
