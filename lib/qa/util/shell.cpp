#include <qa/util/shell.hpp>

namespace qa::util {

namespace {

bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_-./:,+@%").find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string_view value) {
  bool plain = !value.empty();
  for (const char c : value) {
    plain = plain && is_plain(c);
  }
  if (plain) {
    return std::string(value);
  }
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

}  // namespace qa::util
