#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace qa::core {

// Pieces of compact JSON text written straight into a string, byte for byte as nlohmann's dump()
// writes them, for writers that skip building a document (100,000 records or runs at a time).

// How dump() treats a string that is not UTF-8: throw (its default) or write U+FFFD instead.
enum class InvalidUtf8 { error, replace };

// `text` as a JSON string. Plain ASCII is copied; anything else (escapes, UTF-8, invalid bytes)
// goes through nlohmann so that its output and its errors stay the same.
void append_json_string(std::string_view text, std::string& out,
                        InvalidUtf8 invalid = InvalidUtf8::error);

// A number as dump() writes a double (shortest round trip, "1.0" for whole values, null for
// NaN and infinities).
void append_json_number(double value, std::string& out);

template <typename Integer>
void append_json_integer(Integer value, std::string& out) {
  fmt::format_to(std::back_inserter(out), "{}", value);
}

// Any value, as dump() writes it.
void append_json_value(const nlohmann::json& value, std::string& out,
                       InvalidUtf8 invalid = InvalidUtf8::error);

}  // namespace qa::core
