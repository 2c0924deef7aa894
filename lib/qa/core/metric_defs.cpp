#include <qa/core/metric_defs.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <qa/core/yaml_schema.hpp>

namespace qa::core {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 3> k_builtin = {"is_failed", "compute_time", "peak_rss_mb"};

constexpr std::string_view k_web_ui = "QA-Board's web UI";

YamlSchema metric_schema() {
  YamlSchema schema;
  for (const char* key : {"label", "short_label", "smaller_is_better", "target", "scale", "suffix",
                          "precision", "tolerance"}) {
    schema.keys[key] = YamlSchema{};
  }
  for (const char* key : {"plot_scale", "target_passfail"}) {
    schema.keys[key] = ignored_key(k_web_ui);
  }
  return schema;
}

YamlSchema file_schema() {
  YamlSchema schema;
  schema.keys["available_metrics"] = YamlSchema{{}, true, {}};
  schema.keys["main_metrics"] = YamlSchema{};
  for (const char* key : {"summary_metrics", "default_metric", "dashboard_metrics",
                          "dashboard_evolution_metrics", "dynamic_metrics"}) {
    schema.keys[key] = ignored_key(k_web_ui);
  }
  return schema;
}

Expected<double> number_of(const fs::path& file, const YAML::Node& node, std::string_view what) {
  if (node.IsScalar()) {
    try {
      const double value = node.as<double>();
      if (!std::isfinite(value)) {
        return yaml_error(file, node, fmt::format("{} must be a finite number", quote(what)));
      }
      return value;
    } catch (const YAML::Exception&) {  // not a number: reported below
    }
  }
  return yaml_error(file, node, fmt::format("{} must be a number", quote(what)));
}

Expected<std::string> string_of(const fs::path& file, const YAML::Node& node,
                                std::string_view what) {
  if (!node.IsScalar()) {
    return yaml_error(file, node, fmt::format("{} must be a string", quote(what)));
  }
  return node.Scalar();
}

Expected<MetricDef> read_metric(const fs::path& file, const std::string& name,
                                const YAML::Node& node, std::vector<YamlNotice>& notices) {
  MetricDef def;
  def.name = name;
  def.declared = true;
  if (node.IsNull()) {
    def.label = name;
    def.short_label = name;
    return def;
  }
  if (!node.IsMap()) {
    return yaml_error(file, node, fmt::format("\"available_metrics.{}\" must be a mapping", name));
  }
  QA_TRY(check_yaml_keys(node, metric_schema(), file, "available_metrics." + name, &notices));
  const std::string prefix = "available_metrics." + name + ".";
  if (const auto value = node["label"]) {
    QA_TRY_ASSIGN(def.label, string_of(file, value, prefix + "label"));
  }
  if (const auto value = node["short_label"]) {
    QA_TRY_ASSIGN(def.short_label, string_of(file, value, prefix + "short_label"));
  }
  if (const auto value = node["suffix"]) {
    QA_TRY_ASSIGN(def.suffix, string_of(file, value, prefix + "suffix"));
  }
  if (const auto value = node["smaller_is_better"]) {
    try {
      def.smaller_is_better = value.as<bool>();
    } catch (const YAML::Exception&) {
      return yaml_error(
          file, value,
          fmt::format("{} must be true or false", quote(prefix + "smaller_is_better")));
    }
  }
  if (const auto value = node["target"]; value && !value.IsNull()) {
    QA_TRY_ASSIGN(def.target, number_of(file, value, prefix + "target"));
  }
  if (const auto value = node["scale"]) {
    QA_TRY_ASSIGN(def.scale, number_of(file, value, prefix + "scale"));
  }
  if (const auto value = node["precision"]) {
    QA_TRY_ASSIGN(const double precision, number_of(file, value, prefix + "precision"));
    if (precision < 0 || precision > 17 || precision != static_cast<int>(precision)) {
      return yaml_error(
          file, value,
          fmt::format("{} must be a whole number from 0 to 17", quote(prefix + "precision")));
    }
    def.precision = static_cast<int>(precision);
  }
  if (const auto value = node["tolerance"]) {
    QA_TRY_ASSIGN(def.tolerance, number_of(file, value, prefix + "tolerance"));
    if (def.tolerance < 0) {
      return yaml_error(file, value,
                        fmt::format("{} must not be negative", quote(prefix + "tolerance")));
    }
  }
  if (def.label.empty()) {
    def.label = name;
  }
  if (def.short_label.empty()) {
    def.short_label = def.label;
  }
  return def;
}

}  // namespace

bool is_builtin_metric(std::string_view name) {
  return std::find(k_builtin.begin(), k_builtin.end(), name) != k_builtin.end();
}

MetricDef MetricDefs::get(std::string_view name) const {
  if (const auto it = m_defs.find(name); it != m_defs.end()) {
    return it->second;
  }
  MetricDef def;
  def.name = std::string(name);
  def.label = def.name;
  def.short_label = def.name;
  def.informational = is_builtin_metric(name);
  return def;
}

void MetricDefs::add(MetricDef def) {
  if (!m_defs.contains(def.name)) {
    m_order.push_back(def.name);
  }
  const std::string name = def.name;
  m_defs.insert_or_assign(name, std::move(def));
}

Expected<MetricDefs> load_metric_defs(const fs::path& file, std::vector<std::string>* notices) {
  QA_TRY_ASSIGN(const YAML::Node root, load_yaml_file(file));
  MetricDefs defs;
  if (root.IsNull()) {
    return defs;
  }
  if (!root.IsMap()) {
    return yaml_error(file, root,
                      "a metrics file must be a mapping (available_metrics, "
                      "main_metrics)");
  }
  std::vector<YamlNotice> found;
  QA_TRY(check_yaml_keys(root, file_schema(), file, {}, &found));
  if (const YAML::Node available = root["available_metrics"]; available && !available.IsNull()) {
    if (!available.IsMap()) {
      return yaml_error(file, available, "\"available_metrics\" must be a mapping of metric names");
    }
    for (const auto& item : available) {
      QA_TRY_ASSIGN(auto def, read_metric(file, item.first.Scalar(), item.second, found));
      defs.add(std::move(def));
    }
  }
  // Each ignored key once: a metric's (`plot_scale`) for the first metric that has it.
  if (notices != nullptr) {
    std::set<std::string> seen;
    for (const auto& notice : found) {
      if (seen.insert(notice.key.substr(notice.key.rfind('.') + 1)).second) {
        notices->push_back(notice.message);
      }
    }
  }
  if (const YAML::Node main = root["main_metrics"]; main && !main.IsNull()) {
    if (!main.IsSequence()) {
      return yaml_error(file, main, "\"main_metrics\" must be a list of metric names");
    }
    std::vector<std::string> names;
    for (const auto& item : main) {
      if (!item.IsScalar()) {
        return yaml_error(file, item, "\"main_metrics\" must be a list of metric names");
      }
      const auto& declared = defs.declared();
      if (std::find(declared.begin(), declared.end(), item.Scalar()) == declared.end()) {
        return yaml_error(
            file, item,
            fmt::format("main metric {} is not in available_metrics", quote(item.Scalar())));
      }
      names.push_back(item.Scalar());
    }
    defs.set_main(std::move(names));
  }
  return defs;
}

}  // namespace qa::core
