#pragma once

#include <string>
#include <string_view>

namespace qa::util {

// Return `value` quoted for /bin/sh: unchanged when it holds only characters that the shell
// never interprets (letters, digits, `_-./=:,+@%`), else inside single quotes with each `'`
// written as `'\''`. The empty string is `''`.
[[nodiscard]] std::string shell_quote(std::string_view value);

}  // namespace qa::util
