#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::util {

// Check that `rel` is a safe relative path: not empty, not absolute, no `..`, `.` or empty
// component, no NUL byte. Used for every path read from a record or a remote store.
[[nodiscard]] Expected<void> check_relative_path(std::string_view rel);

// Return `root / rel` when `rel` is a safe relative path (see check_relative_path) and no symlink
// on the way leads outside `root`; else an error naming `rel`.
[[nodiscard]] Expected<std::filesystem::path> safe_join(const std::filesystem::path& root,
                                                        std::string_view rel);

// Return true when `path` is `root` or lies under it, comparing lexically normal absolute forms.
[[nodiscard]] bool is_within(const std::filesystem::path& root, const std::filesystem::path& path);

// Match `path` against the glob `pattern` as QA-Board does (Python fnmatch: `*` also matches `/`;
// `**/` also matches no folder, as in pathlib's rglob).
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view path);

// Return true when `path` matches one of `patterns`.
[[nodiscard]] bool glob_match_any(const std::vector<std::string>& patterns, std::string_view path);

// Expand a leading `~` to $HOME and every `${NAME}` to the environment variable NAME. An unset
// variable is an error naming it.
[[nodiscard]] Expected<std::string> expand_user_and_env(std::string_view text);

}  // namespace qa::util
