#pragma once

#include <string>
#include <string_view>

namespace qa::util {

// Return `value` quoted for /bin/sh: unchanged when it holds only characters that the shell
// never interprets (letters, digits, `_-./:,+@%`; not `=`, which
// would make a first word an assignment), else inside single quotes with each `'`
// written as `'\''`. The empty string is `''`.
[[nodiscard]] std::string shell_quote(std::string_view value);

}  // namespace qa::util
