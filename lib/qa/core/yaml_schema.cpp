#include <qa/core/yaml_schema.hpp>

#include <vector>

#include <qa/util/file.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

int yaml_line(const YAML::Node& node) {
  if (!node.IsDefined()) {
    return 0;  // a missing key: Mark() would throw
  }
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

tl::unexpected<Error> yaml_error(const std::filesystem::path& file, const YAML::Node& node,
                                 std::string_view what) {
  const int line = yaml_line(node);
  if (line > 0) {
    return fail_as(ErrorKind::config, "cannot read {}: line {}: {}", quote(file.string()), line,
                   what);
  }
  return fail_as(ErrorKind::config, "cannot read {}: {}", quote(file.string()), what);
}

Expected<void> check_yaml_keys(const YAML::Node& node, const YamlSchema& schema,
                               const std::filesystem::path& file, std::string_view prefix) {
  if (!node.IsMap() || schema.open) {
    return {};
  }
  std::vector<std::string> known;
  for (const auto& [key, _] : schema.keys) {
    known.push_back(key);
  }
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    const std::string path = prefix.empty() ? key : std::string(prefix) + "." + key;
    const auto found = schema.keys.find(key);
    if (found == schema.keys.end()) {
      return yaml_error(
          file, item.first,
          fmt::format("unknown key {}{}", quote(path), util::suggestion_suffix(key, known)));
    }
    QA_TRY(check_yaml_keys(item.second, found->second, file, path));
  }
  return {};
}

Expected<YAML::Node> load_yaml_file(const std::filesystem::path& file) {
  QA_TRY_ASSIGN(const std::string content, util::read_file(file));
  try {
    return YAML::Load(content);
  } catch (const YAML::Exception& e) {
    return fail_as(ErrorKind::config, "cannot read {}: line {}, column {}: {}",
                   quote(file.string()), e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

}  // namespace qa::core
