#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include <qa/util/error.hpp>

namespace qa::core {

// QA-Board's path values (`inputs.database`, `storage`, a batch's or an input's `database`): a
// path, or a map of platform to path, `{linux: /mnt/data, windows: "D://data"}`, of which the
// `linux` one is used, as QA-Board does on Linux.

// Return the path text of `node` at `key`: nullopt when the node is absent or null (or a map
// whose `linux` value is null); an error (whose message names neither file nor line) when it is
// neither a string nor a map with a `linux` string.
[[nodiscard]] Expected<std::optional<std::string>> read_path_spec(const YAML::Node& node,
                                                                  std::string_view key);

// The same, with errors naming `file` and the line: return the path text of `node` at `key` in
// `file`: nullopt when the node is absent or null (or a map whose `linux` value is null); an error
// naming the file, the line and the key when it is neither a string nor a map with a `linux`
// string.
[[nodiscard]] Expected<std::optional<std::string>> read_path_spec(const YAML::Node& node,
                                                                  const std::filesystem::path& file,
                                                                  std::string_view key);

}  // namespace qa::core
