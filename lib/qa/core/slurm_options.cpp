#include <qa/core/slurm_options.hpp>

#include <cmath>

#include <fmt/core.h>

#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>

namespace qa::core {

namespace {

constexpr double k_max_count = 100000;

const YamlSchema& slurm_schema() {
  static const YamlSchema schema = [] {
    YamlSchema s;
    for (const auto key : k_slurm_option_keys) {
      s.keys[std::string(key)] = YamlSchema{};
    }
    return s;
  }();
  return schema;
}

// A value that becomes one sbatch argument (`--time=VALUE`): a scalar without blanks that does
// not start with `-` (it would read as another option).
Expected<std::optional<std::string>> word(const YAML::Node& value,
                                          const std::filesystem::path& file,
                                          const std::string& key) {
  if (!value || value.IsNull()) {
    return std::nullopt;
  }
  if (!value.IsScalar() || value.Scalar().empty()) {
    return yaml_error(file, value, fmt::format("{} must be a non-empty string", quote(key)));
  }
  const std::string& text = value.Scalar();
  if (text.front() == '-' || text.find_first_of(" \t\r\n") != std::string::npos) {
    return yaml_error(file, value,
                      fmt::format("{} must be one word not starting with \"-\", not {}", quote(key),
                                  quote(text)));
  }
  return text;
}

Expected<std::optional<int>> count(const YAML::Node& value, const std::filesystem::path& file,
                                   const std::string& key, double min) {
  if (!value || value.IsNull()) {
    return std::nullopt;
  }
  const nlohmann::json parsed = value.IsScalar() ? yaml_to_json(value) : nlohmann::json();
  if (!parsed.is_number() || std::trunc(parsed.get<double>()) != parsed.get<double>() ||
      parsed.get<double>() < min || parsed.get<double>() > k_max_count) {
    return yaml_error(
        file, value,
        fmt::format("{} must be a whole number from {:.0f} to {:.0f}, not {}", quote(key), min,
                    k_max_count, quote(value.IsScalar() ? value.Scalar() : "a collection")));
  }
  return static_cast<int>(parsed.get<double>());
}

}  // namespace

SlurmOptions overlay(const SlurmOptions& base, const SlurmOptions& over) {
  SlurmOptions out = base;
  if (over.partition) {
    out.partition = over.partition;
  }
  if (over.time) {
    out.time = over.time;
  }
  if (over.mem) {
    out.mem = over.mem;
  }
  if (over.cpus_per_task) {
    out.cpus_per_task = over.cpus_per_task;
  }
  if (over.max_parallel) {
    out.max_parallel = over.max_parallel;
  }
  out.extra_args.insert(out.extra_args.end(), over.extra_args.begin(), over.extra_args.end());
  return out;
}

Expected<SlurmOptions> read_slurm_options(const YAML::Node& node, const std::filesystem::path& file,
                                          std::string_view where) {
  SlurmOptions options;
  if (!node || node.IsNull()) {
    return options;
  }
  if (!node.IsMap()) {
    return yaml_error(file, node, fmt::format("{} must be a mapping", quote(where)));
  }
  QA_TRY(check_yaml_keys(node, slurm_schema(), file, where));
  const std::string prefix = std::string(where) + ".";
  QA_TRY_ASSIGN(options.partition, word(node["partition"], file, prefix + "partition"));
  QA_TRY_ASSIGN(options.time, word(node["time"], file, prefix + "time"));
  QA_TRY_ASSIGN(options.mem, word(node["mem"], file, prefix + "mem"));
  QA_TRY_ASSIGN(options.cpus_per_task,
                count(node["cpus_per_task"], file, prefix + "cpus_per_task", 1));
  QA_TRY_ASSIGN(options.max_parallel,
                count(node["max_parallel"], file, prefix + "max_parallel", 0));
  const YAML::Node extra = node["extra_args"];
  if (extra && !extra.IsNull()) {
    if (extra.IsScalar()) {
      options.extra_args.push_back(extra.Scalar());
    } else if (extra.IsSequence()) {
      for (const auto& item : extra) {
        if (!item.IsScalar()) {
          return yaml_error(file, item,
                            fmt::format("{} must hold strings", quote(prefix + "extra_args")));
        }
        options.extra_args.push_back(item.Scalar());
      }
    } else {
      return yaml_error(file, extra,
                        fmt::format("{} must be a string or a list", quote(prefix + "extra_args")));
    }
  }
  return options;
}

}  // namespace qa::core
