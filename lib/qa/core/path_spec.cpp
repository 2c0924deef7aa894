#include <qa/core/path_spec.hpp>

#include <vector>

#include <qa/core/yaml_schema.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

Expected<std::optional<std::string>> read_path_spec(const YAML::Node& node, std::string_view key) {
  if (!node || node.IsNull()) {
    return std::nullopt;
  }
  if (node.IsScalar()) {
    return node.Scalar();
  }
  if (!node.IsMap()) {
    return fail_as(ErrorKind::config, "{} must be a path or a map {{linux: path, windows: path}}",
                   quote(key));
  }
  const YAML::Node linux_path = node["linux"];
  if (!linux_path) {
    std::vector<std::string> platforms;
    for (const auto& item : node) {
      platforms.push_back(item.first.Scalar());
    }
    return fail_as(ErrorKind::config, "{} gives no \"linux\" path (it gives: {})", quote(key),
                   util::join(platforms, ", "));
  }
  if (linux_path.IsNull()) {
    return std::nullopt;
  }
  if (!linux_path.IsScalar()) {
    return fail_as(ErrorKind::config, "\"{}.linux\" must be a path", key);
  }
  return linux_path.Scalar();
}

Expected<std::optional<std::string>> read_path_spec(const YAML::Node& node,
                                                    const std::filesystem::path& file,
                                                    std::string_view key) {
  auto text = read_path_spec(node, key);
  if (!text) {
    return yaml_error(file, node, text.error().message);
  }
  return text;
}

}  // namespace qa::core
