#include <qa/util/json_depth.hpp>

#include <algorithm>

namespace qa::util {

int json_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, a quote included
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return deepest;
}

Expected<void> check_json_depth(std::string_view text, std::string_view origin) {
  if (json_depth(text) > k_max_json_depth) {
    return fail("cannot read {}: JSON nested deeper than {} levels", quote(origin),
                k_max_json_depth);
  }
  return {};
}

}  // namespace qa::util
