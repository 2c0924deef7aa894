#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::util {

// What the hash cache knows of a file besides its digest: an entry is trusted only while the
// file's size, mtime (ns), inode and ctime (ns) are these.
struct FileStat {
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;

  [[nodiscard]] static FileStat of(const struct stat& st);
  friend bool operator==(const FileStat&, const FileStat&) = default;
};

// Digests of files remembered between runs, so that re-hashing an unchanged tree is nearly free.
// An entry is keyed by the file's absolute path and trusted only while the file's FileStat is
// the one it was hashed with; an entry whose file changed within the second before the cache was
// written is never saved (its mtime cannot tell a later change in the same second apart).
//
// File format, version 2: binary, loaded with one read and no parsing of text. Integers are in
// the byte order of the machine that wrote the file (checked by `byte_order`). A file that is
// not exactly this (an older text cache, another byte order, a bad checksum, a truncated or
// overlong entry) is ignored as a whole: the cache starts empty and the next save replaces it.
//   header, 48 bytes:
//     magic        8 bytes   "QAHCACHE"
//     version      u32       2
//     byte_order   u32       0x01020304
//     count        u64       number of entries
//     body_bytes   u64       size of the body that follows the header
//     checksum     2 x u64   XXH3-128 of the body (high, low)
//   body: `count` entries, each
//     inode, size  u64, u64
//     mtime_ns     i64
//     ctime_ns     i64
//     digest       2 x u64   XXH3-128 of the content (high, low)
//     path_bytes   u32
//     path         `path_bytes` bytes, absolute, not terminated
class HashCache {
 public:
  // Load the cache at `file`; a missing, unreadable or damaged file gives an empty cache.
  [[nodiscard]] static std::unique_ptr<HashCache> load(const std::filesystem::path& file);

  // Return the digest of `path` when the cache holds one for the file as `st` describes it.
  [[nodiscard]] std::optional<FileHash> lookup(std::string_view path, const FileStat& st) const;
  [[nodiscard]] std::optional<FileHash> lookup(std::string_view path, const struct stat& st) const {
    return lookup(path, FileStat::of(st));
  }
  void remember(std::string_view path, const struct stat& st, const FileHash& digest);

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
    FileStat stat;
    Hash128 hash;
    std::string_view path;  // into Table::bytes, or m_new_paths
  };
  // Entries keyed by a 64-bit hash of their path (integer keys: no string is hashed twice or
  // compared in a bucket; the path is compared once, on a hit). Paths whose keys collide share
  // one entry: the other path is then a miss, never a wrong hit.
  using Entries = std::unordered_map<std::uint64_t, Entry>;
  [[nodiscard]] static std::uint64_t key_of(std::string_view path);
  // The entries of a cache file, whose paths are views into `bytes`, the file as read (or into
  // m_new_paths once saved): a Table is not copied or moved, only the pointer to it.
  struct Table {
    std::string bytes;
    Entries entries;
  };
  explicit HashCache(std::filesystem::path file) : m_file(std::move(file)) {}
  static void read_into(const std::filesystem::path& file, Table& table);

  std::filesystem::path m_file;
  mutable std::shared_mutex m_mutex;  // lookups share it, updates own it
  std::unique_ptr<Table> m_loaded = std::make_unique<Table>();
  std::deque<std::string> m_new_paths;  // the keys remembered here (their addresses never move)
  Entries m_new;                        // remembered since the last save
  mutable std::atomic<std::size_t> m_hits{0};
};

// Return the digest of `path`, from `cache` when it holds a valid entry (then remember it).
[[nodiscard]] Expected<FileHash> hash_file_cached(const std::filesystem::path& path,
                                                  HashCache* cache);

}  // namespace qa::util
