#include <qa/util/hash_cache.hpp>

#include <qa/util/atomic_file.hpp>
#include <qa/util/cache_dir.hpp>
#include <qa/util/file.hpp>
#include <qa/util/unique_fd.hpp>

#include <fcntl.h>
#include <sys/file.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace qa::util {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_header = "qa-hash-cache 1";

std::int64_t nanoseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

}  // namespace

std::unique_ptr<HashCache> HashCache::load(const fs::path& file) {
  std::unique_ptr<HashCache> cache(new HashCache(file));
  read_into(file, cache->m_entries);
  return cache;
}

void HashCache::read_into(const fs::path& file, std::unordered_map<std::string, Entry>& entries) {
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line) || line != k_header) {
    return;
  }
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      continue;
    }
    // `<inode> <size> <mtime_ns> <ctime_ns> <xxh128>`, parsed without streams: a cache of a
    // large tree has tens of thousands of lines.
    Entry entry;
    const char* cursor = line.data();
    const char* end = line.data() + tab;
    bool ok = true;
    auto next_number = [&](auto& value) {
      const auto [after, ec] = std::from_chars(cursor, end, value);
      ok = ok && ec == std::errc() && after < end && *after == ' ';
      cursor = after + 1;
    };
    next_number(entry.inode);
    next_number(entry.size);
    next_number(entry.mtime_ns);
    next_number(entry.ctime_ns);
    auto hash =
        ok ? Hash128::from_hex(std::string_view(cursor, static_cast<std::size_t>(end - cursor)))
           : Expected<Hash128>(tl::unexpected<Error>(Error{"malformed"}));
    if (!hash) {
      continue;
    }
    entry.hash = *hash;
    entries[line.substr(tab + 1)] = entry;
  }
}

std::optional<FileHash> HashCache::lookup(const std::string& path, const struct stat& st) const {
  const std::shared_lock lock(m_mutex);
  const auto it = m_entries.find(path);
  if (it == m_entries.end()) {
    return std::nullopt;
  }
  const Entry& entry = it->second;
  if (entry.inode != st.st_ino || entry.size != static_cast<std::uint64_t>(st.st_size) ||
      entry.mtime_ns != nanoseconds(st.st_mtim) || entry.ctime_ns != nanoseconds(st.st_ctim)) {
    return std::nullopt;
  }
  ++m_hits;
  return FileHash{entry.hash, entry.size};
}

void HashCache::remember(const std::string& path, const struct stat& st, const FileHash& digest) {
  if (path.find('\n') != std::string::npos) {
    return;
  }
  const Entry entry{static_cast<std::uint64_t>(st.st_ino), digest.size, nanoseconds(st.st_mtim),
                    nanoseconds(st.st_ctim), digest.hash};
  const std::unique_lock lock(m_mutex);
  m_entries[path] = entry;
  m_new[path] = entry;
}

Expected<void> HashCache::save() {
  const std::unique_lock lock(m_mutex);
  if (m_new.empty()) {
    return {};
  }
  if (m_file.has_parent_path()) {
    QA_TRY(create_dirs(m_file.parent_path()));
  }
  const fs::path lock_path = m_file.string() + ".lock";
  UniqueFd lock_fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock_fd || ::flock(lock_fd.get(), LOCK_EX) != 0) {
    return fail("cannot lock the hash cache {}", quote(lock_path.string()));
  }
  std::unordered_map<std::string, Entry> merged;
  read_into(m_file, merged);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (const auto& [path, entry] : m_new) {
    // Racy entries: the file may change again within the same mtime granularity.
    if (now - entry.mtime_ns >= 1'000'000'000) {
      merged[path] = entry;
    }
  }
  std::string text(k_header);
  text += '\n';
  for (const auto& [path, entry] : merged) {
    text += fmt::format("{} {} {} {} {}\t{}\n", entry.inode, entry.size, entry.mtime_ns,
                        entry.ctime_ns, entry.hash.hex(), path);
  }
  QA_TRY(write_file_atomic(m_file, text, Fsync::no));
  m_new.clear();
  return {};
}

std::optional<fs::path> HashCache::default_location() { return qa_cache_folder("hash-cache"); }

Expected<FileHash> hash_file_cached(const fs::path& path, HashCache* cache) {
  if (cache == nullptr) {
    return hash_file(path);
  }
  struct stat st {};
  const std::string key =
      (path.is_absolute() ? path : fs::absolute(path)).lexically_normal().string();
  if (::stat(path.c_str(), &st) == 0) {
    if (auto hit = cache->lookup(key, st)) {
      return *hit;
    }
  }
  QA_TRY_ASSIGN(const auto digest, hash_file(path));
  struct stat after {};
  // Remember only what was hashed: a file that changed while it was read is not cached.
  if (::stat(path.c_str(), &after) == 0 && after.st_mtim.tv_sec == st.st_mtim.tv_sec &&
      after.st_mtim.tv_nsec == st.st_mtim.tv_nsec && after.st_size == st.st_size) {
    cache->remember(key, after, digest);
  }
  return digest;
}

}  // namespace qa::util
