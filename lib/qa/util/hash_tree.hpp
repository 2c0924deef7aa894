#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/hash_cache.hpp>

namespace qa::util {

// One regular file under a root folder: its path relative to the root, with `/` separators.
struct TreeFile {
  std::string rel_path;
  FileHash digest;
};

// What is under a folder, by relative path (`/`-separated, sorted): its regular files, and what
// was skipped because it is not one: symbolic links (never followed, whether they point to a
// file, a folder or outside) and special files (fifos, sockets, devices).
// `stats` holds what lstat said of each of `files` while it was listed, in the same order.
struct TreeListing {
  std::vector<std::string> files;
  std::vector<std::string> skipped;
  std::vector<FileStat> stats;
};

// Return the regular files under `root` (recursively) and the entries skipped, without hashing
// anything: one getdents per folder and one fstatat per file, relative to its folder's
// descriptor (no path walk from the root, no folder opened through a symbolic link). Fails
// naming the folder when it cannot be read.
[[nodiscard]] Expected<TreeListing> scan_tree(const std::filesystem::path& root);

// Return the regular files of scan_tree(`root`).
[[nodiscard]] Expected<std::vector<std::string>> list_tree(const std::filesystem::path& root);

// Hash the files `rel_paths` under `root` with `threads` workers (0: one per core), the largest
// files first so that the workers finish together. The result is in the order of `rel_paths`.
// Fails with the first file that cannot be read. With a `cache`, unchanged files are not read:
// their FileStat is taken from `stats` (parallel to `rel_paths`, as scan_tree gives them) when it
// is not empty, else from a stat of each file.
[[nodiscard]] Expected<std::vector<TreeFile>> hash_files(const std::filesystem::path& root,
                                                         const std::vector<std::string>& rel_paths,
                                                         std::size_t threads = 0,
                                                         HashCache* cache = nullptr,
                                                         std::span<const FileStat> stats = {});

}  // namespace qa::util
