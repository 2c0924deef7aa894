#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace qa::store {

// Reading the fields of the store's small JSON documents (pack headers, cache entries,
// milestones), which a damaged or foreign document may lack or hold with another type.

// Return the string field `field` of `json`, or null when `json` is not an object or its field is
// absent or not a string.
[[nodiscard]] inline const std::string* string_field(const nlohmann::json& json,
                                                     const char* field) {
  if (!json.is_object()) {
    return nullptr;
  }
  const auto found = json.find(field);
  return found != json.end() && found->is_string() ? &found->get_ref<const std::string&>()
                                                   : nullptr;
}

// Return whether the field `field` of `json` is the string `value`.
[[nodiscard]] inline bool has_string_field(const nlohmann::json& json, const char* field,
                                           std::string_view value) {
  const std::string* text = string_field(json, field);
  return text != nullptr && *text == value;
}

}  // namespace qa::store
