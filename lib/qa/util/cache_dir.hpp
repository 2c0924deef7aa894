#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace qa::util {

// Where qatools keeps what it can rebuild: the default store, the hash cache, the blob cache.
// Every caller resolves its folder here, so all of them agree when a variable is unset.

// Return the user's cache folder: `$XDG_CACHE_HOME`, else `$HOME/.cache`; nothing when neither
// is set (a process started without HOME), so that the caller decides: an optional cache is
// then off, a required folder is an error telling which variable to set.
[[nodiscard]] std::optional<std::filesystem::path> user_cache_home();

// Return the folder of qatools' cache `name` (`hash-cache`, `blobs`): `$QA_CACHE_DIR/<name>`,
// else `<user_cache_home>/qatools-<name>`; nothing when none of the variables is set.
[[nodiscard]] std::optional<std::filesystem::path> qa_cache_folder(std::string_view name);

}  // namespace qa::util
