#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <qa/util/error.hpp>

namespace qa::core {

// The keys a YAML mapping may hold. A key whose schema has no keys (and is not `open`) is a leaf:
// any value passes here, and the reader of that key checks its type; a key with a nested schema
// is checked recursively when its value is a mapping.
struct YamlSchema {
  std::map<std::string, YamlSchema, std::less<>> keys;
  bool open = false;  // any key is accepted (a user-defined map such as `run.env`)
  // Non-empty: a key that QA-Board defines and qatools has no use for (SPEC section 2): any
  // value is accepted and a notice says the key is ignored and why (this text).
  std::string_view ignored;
};

// An ignored key met by check_yaml_keys: its dotted path and the line that names the file, the
// line and the key: `"qaboard.yaml": line 3: "project.url" is ignored (QA-Board's web UI)`.
struct YamlNotice {
  std::string key;
  std::string message;
};

// Return the schema of a QA-Board-only key, ignored because of `why` ("QA-Board's web UI").
[[nodiscard]] inline YamlSchema ignored_key(std::string_view why) {
  YamlSchema schema;
  schema.ignored = why;
  return schema;
}

// Check that every key of the mapping `node` (and of nested mappings) is known to `schema`.
// The error names `file`, the line and the dotted key path, with a did-you-mean suggestion:
// `cannot read "qaboard.yaml": line 7: unknown key "inputs.batchs" (did you mean "batches"?)`.
// Each ignored key found appends a notice to `notices` (when given).
[[nodiscard]] Expected<void> check_yaml_keys(const YAML::Node& node, const YamlSchema& schema,
                                             const std::filesystem::path& file,
                                             std::string_view prefix = {},
                                             std::vector<YamlNotice>* notices = nullptr);

// Return the 1-based line of `node` in its file (0 when unknown).
[[nodiscard]] int yaml_line(const YAML::Node& node);

// Return the message `cannot read "<file>": line N: <what>` for an error about `node`.
[[nodiscard]] tl::unexpected<Error> yaml_error(const std::filesystem::path& file,
                                               const YAML::Node& node, std::string_view what);

// The bounds of a YAML document once its aliases are expanded: deeper nesting is most likely a
// recursive alias (`&a [*a]`), more values an exponential one ("billion laughs").
inline constexpr int k_max_yaml_depth = 64;
inline constexpr std::size_t k_max_yaml_values = 1'000'000;

// Check that `root` (read from `file`, or from the command-line value it names) nests at most
// k_max_yaml_depth levels, holds at most k_max_yaml_values values with its aliases expanded, and
// repeats no key in a mapping (YAML forbids it; parsers differ on which value wins). The error
// names the file and the line.
[[nodiscard]] Expected<void> check_yaml_bounds(const YAML::Node& root,
                                               const std::filesystem::path& file);

// Resolve the YAML merge keys of `root` in place, as YAML 1.1's merge type (which QA-Board's
// PyYAML implements and yaml-cpp does not): a plain `<<` key whose value is a map, or a list of
// maps, is removed and their keys are added where the map has none, earlier maps first. A
// quoted "<<" is an ordinary key. Any other value under `<<` is an error naming `file`.
[[nodiscard]] Expected<void> resolve_yaml_merge_keys(YAML::Node& root,
                                                     const std::filesystem::path& file);

// Parse the YAML file at `file`, check its bounds (check_yaml_bounds) and resolve its merge
// keys; a syntax error names the file, line and column.
[[nodiscard]] Expected<YAML::Node> load_yaml_file(const std::filesystem::path& file);

}  // namespace qa::core
