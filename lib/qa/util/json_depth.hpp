#pragma once

#include <string_view>

#include <qa/util/error.hpp>

namespace qa::util {

// How deep JSON read from files, streams and servers may nest. nlohmann_json parses any depth,
// but printing, comparing or copying a value recurses once per level: 70,000 levels overflow the
// stack. Nothing qatools reads needs more than a few levels.
inline constexpr int k_max_json_depth = 64;

// Return the deepest nesting of arrays and objects in the JSON text `text` (strings, and the
// brackets inside them, skipped); malformed text is measured as far as it goes.
[[nodiscard]] int json_depth(std::string_view text);

// Fail naming `origin` when `text` nests deeper than k_max_json_depth.
[[nodiscard]] Expected<void> check_json_depth(std::string_view text, std::string_view origin);

}  // namespace qa::util
