#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <atomic>
#include <shared_mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::util {

// Digests of files remembered between runs, so that re-hashing an unchanged tree is nearly free.
// An entry is trusted only while the file's size, mtime (ns), inode and ctime (ns) are those it
// was hashed with; an entry whose file changed within the second before the cache was written is
// never saved (its mtime cannot tell a later change in the same second apart).
//
// File format, version 1 (one entry per line, paths absolute):
//   qa-hash-cache 1
//   <inode> <size> <mtime_ns> <ctime_ns> <xxh128>\t<path>
class HashCache {
 public:
  // Load the cache at `file`; a missing or unreadable file gives an empty cache.
  [[nodiscard]] static std::unique_ptr<HashCache> load(const std::filesystem::path& file);

  // Return the digest of `path` when the cache holds one for the file as `st` describes it.
  [[nodiscard]] std::optional<FileHash> lookup(const std::string& path,
                                               const struct stat& st) const;
  void remember(const std::string& path, const struct stat& st, const FileHash& digest);

  // Merge with the entries saved meanwhile by other processes (under a lock) and write the file
  // atomically.
  [[nodiscard]] Expected<void> save();

  // Return the default location: $QA_CACHE_DIR/hash-cache, else beside the default store:
  // $XDG_CACHE_HOME/qatools-hash-cache, else ~/.cache/qatools-hash-cache; nothing when none of
  // these variables is set (util/cache_dir.hpp): then there is no cache.
  [[nodiscard]] static std::optional<std::filesystem::path> default_location();

  [[nodiscard]] std::size_t hits() const { return m_hits; }

 private:
  struct Entry {
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    Hash128 hash;
  };
  explicit HashCache(std::filesystem::path file) : m_file(std::move(file)) {}
  static void read_into(const std::filesystem::path& file,
                        std::unordered_map<std::string, Entry>& entries);

  std::filesystem::path m_file;
  mutable std::shared_mutex m_mutex;  // lookups share it, updates own it
  std::unordered_map<std::string, Entry> m_entries;
  std::unordered_map<std::string, Entry> m_new;
  mutable std::atomic<std::size_t> m_hits{0};
};

// Return the digest of `path`, from `cache` when it holds a valid entry (then remember it).
[[nodiscard]] Expected<FileHash> hash_file_cached(const std::filesystem::path& path,
                                                  HashCache* cache);

}  // namespace qa::util
