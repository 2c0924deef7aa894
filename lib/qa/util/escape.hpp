#pragma once

#include <string>
#include <string_view>

namespace qa::util {

// Return `text` safe inside XML or HTML text and attribute values: `&<>"'` escaped, and
// control characters that XML 1.0 forbids replaced by U+FFFD.
[[nodiscard]] std::string xml_escape(std::string_view text);

// Return `text` safe inside a Markdown table cell: `|`, `<`, `>`, backticks, `*`, `_`, `[`, `]`
// and `\` escaped, newlines written as spaces.
[[nodiscard]] std::string markdown_escape(std::string_view text);

}  // namespace qa::util
