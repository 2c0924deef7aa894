#pragma once

#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace qa::core {

// Return the JSON value of a YAML scalar written plainly (unquoted), typed by the YAML 1.2 core
// schema as in a batches file: `6` is the number 6, `0.5` a number, `true`/`false` booleans,
// `null`/`~`/empty null, anything else (`yes`, `1.2.3`, `.inf`) a string.
[[nodiscard]] nlohmann::json parse_yaml_scalar(std::string_view text);

// Return `node` as JSON: maps to objects, sequences to arrays, plain scalars typed as
// parse_yaml_scalar does, quoted scalars kept as strings.
[[nodiscard]] nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace qa::core
