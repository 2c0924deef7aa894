#pragma once

#include <string>
#include <string_view>

namespace qa::util {

// Return `url` without the userinfo of its authority (`https://user:secret@host/x` becomes
// `https://host/x`), so that it can be printed, logged or recorded without leaking a password.
// A text without `://` is returned unchanged.
[[nodiscard]] std::string redact_url(std::string_view url);

// Return the position of the "@" that ends the userinfo of `url`'s authority, or npos when it
// has none. A password holding an unencoded "/", "?", "#" or "@" still counts as userinfo.
[[nodiscard]] std::size_t userinfo_end(std::string_view url);

// Return `text` with its `%XX` escapes decoded (a `%` not followed by two hex digits is kept).
[[nodiscard]] std::string percent_decode(std::string_view text);

}  // namespace qa::util
