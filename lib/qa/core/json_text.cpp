#include <qa/core/json_text.hpp>

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

void append_json_number(double value, std::string& out) { out += nlohmann::json(value).dump(); }

void append_json_value(const nlohmann::json& value, std::string& out, InvalidUtf8 invalid) {
  out += value.dump(-1, ' ', false, handler_of(invalid));
}

}  // namespace qa::core
