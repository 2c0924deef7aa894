#include <qa/core/json_text.hpp>

#include <array>
#include <cmath>
#include <cstdint>

namespace qa::core {

namespace {

nlohmann::json::error_handler_t handler_of(InvalidUtf8 invalid) {
  return invalid == InvalidUtf8::replace ? nlohmann::json::error_handler_t::replace
                                         : nlohmann::json::error_handler_t::strict;
}

}  // namespace

void append_json_string(std::string_view text, std::string& out, InvalidUtf8 invalid) {
  bool plain = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += nlohmann::json(text).dump(-1, ' ', false, handler_of(invalid));
}

void append_json_number(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // The digits dump() writes, by the function it calls (Grisu2, "1.0" for whole values).
  std::array<char, 64> digits{};
  const char* end = nlohmann::detail::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
}

void append_json_value(const nlohmann::json& value, std::string& out, InvalidUtf8 invalid) {
  // Walked here rather than dumped: dump() makes a string per call and writes through a virtual
  // call per piece, which costs a report of 100,000 runs a tenth of its time.
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      out += "null";
      return;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case nlohmann::json::value_t::number_integer:
      append_json_integer(value.get<std::int64_t>(), out);
      return;
    case nlohmann::json::value_t::number_unsigned:
      append_json_integer(value.get<std::uint64_t>(), out);
      return;
    case nlohmann::json::value_t::number_float:
      append_json_number(value.get<double>(), out);
      return;
    case nlohmann::json::value_t::string:
      append_json_string(value.get_ref<const std::string&>(), out, invalid);
      return;
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_ref<const nlohmann::json::array_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        append_json_value(item, out, invalid);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        append_json_string(key, out, invalid);
        out += ':';
        append_json_value(item, out, invalid);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::binary:
      break;  // never in a record: as dump() writes it
  }
  out += value.dump(-1, ' ', false, handler_of(invalid));
}

}  // namespace qa::core
