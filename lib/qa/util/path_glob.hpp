#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace qa::util {

// Glob patterns with the meaning of Python's pathlib, which QA-Board's input expansion uses
// (`database.glob(path)`, `folder.rglob(glob)`): a pattern is `/`-separated segments; `**` is
// any number of folders, none included; any other segment is an fnmatch pattern over one name
// (`*` does not cross `/`, and matches names starting with `.`, as in pathlib).

// The most paths one glob_under returns: a pattern such as `/**` names the whole file system.
inline constexpr std::size_t k_max_glob_paths = 1'000'000;

// Return the existing paths under `root` that `pattern` names (relative segments; `.` and empty
// segments are skipped, so "" and "." name `root` itself), as `Path(root).glob(pattern)` does,
// sorted and without repeats. `**` does not descend into symbolic links to folders, so a link
// loop ends. At most k_max_glob_paths paths.
[[nodiscard]] std::vector<std::filesystem::path> glob_under(const std::filesystem::path& root,
                                                            std::string_view pattern);

// Return true when the relative `/`-separated path `rel` matches `pattern` segment by segment
// with the meaning above: `path_glob_match("**/*.png", "a/b.png")` and `("**/*.png", "b.png")`
// are true, `("*.png", "a/b.png")` is false.
[[nodiscard]] bool path_glob_match(std::string_view pattern, std::string_view rel);

}  // namespace qa::util
