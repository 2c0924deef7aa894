#include <qa/core/params.hpp>

#include <qa/core/yaml_json.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

void flatten_configs(const nlohmann::json& value, nlohmann::json& out) {
  if (value.is_array()) {
    for (const auto& item : value) {
      flatten_configs(item, out);
    }
  } else if (value.is_number() || value.is_boolean()) {
    out.push_back(value.dump());
  } else if (!value.is_null()) {
    out.push_back(value);
  }
}

void deep_merge(nlohmann::json& base, const nlohmann::json& patch) {
  if (!base.is_object() || !patch.is_object()) {
    base = patch;
    return;
  }
  for (const auto& [key, value] : patch.items()) {
    if (base.contains(key) && base[key].is_object() && value.is_object()) {
      deep_merge(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

nlohmann::json merge_params(const nlohmann::json& defaults, const nlohmann::json& configs,
                            const nlohmann::json& overrides) {
  nlohmann::json params = defaults.is_object() ? defaults : nlohmann::json::object();
  if (configs.is_array()) {
    for (const auto& config : configs) {
      if (config.is_object()) {
        deep_merge(params, config);
      }
    }
  }
  if (overrides.is_object()) {
    deep_merge(params, overrides);
  }
  return params;
}

Expected<void> apply_param_assignment(nlohmann::json& params, std::string_view assignment) {
  const std::size_t equal = assignment.find('=');
  if (equal == std::string_view::npos || equal == 0) {
    return fail_as(ErrorKind::usage, "invalid --param {}: expected KEY=VALUE", quote(assignment));
  }
  const auto parts = util::split(assignment.substr(0, equal), '.');
  for (const auto& part : parts) {
    if (part.empty()) {
      return fail_as(ErrorKind::usage, "invalid --param {}: empty key", quote(assignment));
    }
  }
  nlohmann::json* node = &params;
  for (const auto& part : parts) {
    if (!node->is_object()) {
      *node = nlohmann::json::object();
    }
    node = &(*node)[part];
  }
  *node = parse_yaml_scalar(assignment.substr(equal + 1));
  return {};
}

}  // namespace qa::core
