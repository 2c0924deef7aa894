#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/hash_cache.hpp>

namespace qa::core {

// One output file as recorded: its XXH3-128 digest and size in bytes.
struct FileEntry {
  util::Hash128 hash;
  std::uint64_t size = 0;
  friend bool operator==(const FileEntry&, const FileEntry&) = default;
};

// A run's outputs: relative path (`/`-separated, inside the output folder) -> file entry.
using Manifest = std::map<std::string, FileEntry>;

// Which files count: those matching one of `patterns` and none of `ignore` (globs matched against
// the relative path, `*` crossing `/`, as bit_accuracy does in QA-Board).
struct FileSelection {
  std::vector<std::string> patterns{"*"};
  std::vector<std::string> ignore;
  [[nodiscard]] bool selects(const std::string& rel_path) const;
};

// Hash every regular file under `dir` that `selection` selects, except the names in `reserved`
// (files qatools itself keeps in an output folder), with `threads` workers (0: one per core).
[[nodiscard]] Expected<Manifest> build_manifest(const std::filesystem::path& dir,
                                                const FileSelection& selection,
                                                const std::set<std::string>& reserved = {},
                                                std::size_t threads = 0,
                                                util::HashCache* cache = nullptr);

// Return the entries of `manifest` that `selection` selects.
[[nodiscard]] Manifest filter_manifest(const Manifest& manifest, const FileSelection& selection);

// Return `manifest` in the format of `xxhsum -H2` (`<hash>  <path>` lines), which `xxhsum -c`
// checks from the folder holding the files. A name holding a line break is escaped as sha256sum
// does (`\<hash>  a\nb`, backslashes doubled), so that it stays one line.
[[nodiscard]] std::string to_xxhsum_format(const Manifest& manifest);

}  // namespace qa::core
