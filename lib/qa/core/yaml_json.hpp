#pragma once

#include <initializer_list>
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

// Return the value of the first of `keys` that the map `node` holds (QA-Board's synonyms:
// `configs`, `configurations`, `configuration`), or an undefined node.
[[nodiscard]] YAML::Node yaml_first_of(const YAML::Node& node,
                                       std::initializer_list<const char*> keys);

// Return the configuration list that `node` gives (a name, a map, or a list of them), flattened
// as flatten_configs does; an undefined or null node gives an empty list.
[[nodiscard]] nlohmann::json yaml_configs(const YAML::Node& node);

}  // namespace qa::core
