#include <qa/util/hash_cache.hpp>

#include <qa/util/atomic_file.hpp>
#include <qa/util/cache_dir.hpp>
#include <qa/util/file.hpp>
#include <qa/util/unique_fd.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>

namespace qa::util {

namespace fs = std::filesystem;

namespace {

constexpr std::array<char, 8> k_magic = {'Q', 'A', 'H', 'C', 'A', 'C', 'H', 'E'};
constexpr std::uint32_t k_version = 2;
constexpr std::uint32_t k_byte_order = 0x01020304;
constexpr std::size_t k_header_bytes = 48;
constexpr std::size_t k_entry_fixed_bytes = 6 * 8 + 4;  // before the path
// Larger files are not caches qatools wrote (a million entries take about 100 MiB).
constexpr std::uint64_t k_max_file_bytes = std::uint64_t{1} << 32;

std::int64_t nanoseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

// Read the unaligned value of type T at `data` + `offset`.
template <typename T>
T load_at(const char* data, std::size_t offset) {
  T value;
  std::memcpy(&value, data + offset, sizeof value);
  return value;
}

template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Read the whole content of `file` into `bytes`; return false when it cannot be read (a missing
// cache).
bool read_whole(const fs::path& file, std::string& bytes) {
  const UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
      static_cast<std::uint64_t>(st.st_size) > k_max_file_bytes) {
    return false;
  }
  // One read for the whole file, plus one to see its end (it may have grown meanwhile).
  bytes.assign(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) {
      bytes.resize(bytes.size() * 2);
    }
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return false;
    }
    if (n == 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return true;
}

}  // namespace

FileStat FileStat::of(const struct stat& st) {
  return FileStat{static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                  nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

std::unique_ptr<HashCache> HashCache::load(const fs::path& file) {
  std::unique_ptr<HashCache> cache(new HashCache(file));
  read_into(file, *cache->m_loaded);
  return cache;
}

void HashCache::read_into(const fs::path& file, Table& table) {
  table.entries.clear();
  if (!read_whole(file, table.bytes) || table.bytes.size() < k_header_bytes ||
      std::memcmp(table.bytes.data(), k_magic.data(), k_magic.size()) != 0) {
    return;
  }
  const char* data = table.bytes.data();
  const auto count = load_at<std::uint64_t>(data, 16);
  const auto body_bytes = load_at<std::uint64_t>(data, 24);
  const Hash128 checksum{load_at<std::uint64_t>(data, 32), load_at<std::uint64_t>(data, 40)};
  const std::string_view body = std::string_view(table.bytes).substr(k_header_bytes);
  if (load_at<std::uint32_t>(data, 8) != k_version ||
      load_at<std::uint32_t>(data, 12) != k_byte_order || body_bytes != body.size() ||
      count > body.size() / k_entry_fixed_bytes || hash_bytes(body) != checksum) {
    return;
  }
  table.entries.reserve(static_cast<std::size_t>(count));
  std::size_t offset = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (body.size() - offset < k_entry_fixed_bytes) {
      table.entries.clear();
      return;
    }
    const char* at = body.data() + offset;
    Entry entry;
    entry.stat.inode = load_at<std::uint64_t>(at, 0);
    entry.stat.size = load_at<std::uint64_t>(at, 8);
    entry.stat.mtime_ns = load_at<std::int64_t>(at, 16);
    entry.stat.ctime_ns = load_at<std::int64_t>(at, 24);
    entry.hash.high = load_at<std::uint64_t>(at, 32);
    entry.hash.low = load_at<std::uint64_t>(at, 40);
    const auto path_bytes = load_at<std::uint32_t>(at, 48);
    offset += k_entry_fixed_bytes;
    if (path_bytes == 0 || body.size() - offset < path_bytes) {
      table.entries.clear();
      return;
    }
    entry.path = body.substr(offset, path_bytes);
    table.entries.insert_or_assign(key_of(entry.path), entry);
    offset += path_bytes;
  }
  if (offset != body.size()) {
    table.entries.clear();
  }
}

std::uint64_t HashCache::key_of(std::string_view path) { return hash_bytes(path).low; }

std::optional<FileHash> HashCache::lookup(std::string_view path, const FileStat& st) const {
  const std::uint64_t key = key_of(path);
  const std::shared_lock lock(m_mutex);
  const Entry* entry = nullptr;
  if (!m_new.empty()) {
    if (const auto it = m_new.find(key); it != m_new.end()) {
      entry = &it->second;
    }
  }
  if (entry == nullptr) {
    const auto it = m_loaded->entries.find(key);
    if (it == m_loaded->entries.end()) {
      return std::nullopt;
    }
    entry = &it->second;
  }
  if (entry->stat != st || entry->path != path) {
    return std::nullopt;
  }
  ++m_hits;
  return FileHash{entry->hash, entry->stat.size};
}

void HashCache::remember(std::string_view path, const struct stat& st, const FileHash& digest) {
  if (path.empty() || path.size() > std::numeric_limits<std::uint32_t>::max()) {
    return;
  }
  FileStat file = FileStat::of(st);
  file.size = digest.size;
  const std::uint64_t key = key_of(path);
  const std::unique_lock lock(m_mutex);
  if (const auto it = m_new.find(key); it != m_new.end() && it->second.path == path) {
    it->second.stat = file;
    it->second.hash = digest.hash;
    return;
  }
  // The path must outlive the maps: it is kept in m_new_paths, whose elements never move.
  const std::string_view kept = m_new_paths.emplace_back(path);
  m_new.insert_or_assign(key, Entry{file, digest.hash, kept});
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
  auto merged = std::make_unique<Table>();
  read_into(m_file, *merged);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (const auto& [key, entry] : m_new) {
    // Racy entries: the file may change again within the same mtime granularity.
    if (now - entry.stat.mtime_ns >= 1'000'000'000) {
      merged->entries.insert_or_assign(key, entry);
    }
  }
  std::string body;
  std::size_t body_bytes = 0;
  for (const auto& [key, entry] : merged->entries) {
    body_bytes += k_entry_fixed_bytes + entry.path.size();
  }
  body.reserve(body_bytes);
  for (const auto& [key, entry] : merged->entries) {
    append(body, entry.stat.inode);
    append(body, entry.stat.size);
    append(body, entry.stat.mtime_ns);
    append(body, entry.stat.ctime_ns);
    append(body, entry.hash.high);
    append(body, entry.hash.low);
    append(body, static_cast<std::uint32_t>(entry.path.size()));
    body += entry.path;
  }
  const Hash128 checksum = hash_bytes(body);
  std::string header(k_magic.data(), k_magic.size());
  append(header, k_version);
  append(header, k_byte_order);
  append(header, static_cast<std::uint64_t>(merged->entries.size()));
  append(header, static_cast<std::uint64_t>(body.size()));
  append(header, checksum.high);
  append(header, checksum.low);
  QA_TRY_ASSIGN(auto file, AtomicFile::create(m_file));
  QA_TRY(file.write(header));
  QA_TRY(file.write(body));
  QA_TRY(file.commit(Fsync::no));
  // What this process remembered stays found, the racy entries too (for this process only).
  for (const auto& [key, entry] : m_new) {
    merged->entries.insert_or_assign(key, entry);
  }
  m_loaded = std::move(merged);
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
