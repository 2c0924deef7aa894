#include <qa/http/blob_cache.hpp>

#include <sys/stat.h>

#include <qa/util/file.hpp>
#include <qa/util/log.hpp>

namespace qa::http {

namespace fs = std::filesystem;

fs::path BlobCache::path(const util::Hash128& hash) const {
  const std::string hex = hash.hex();
  return m_root / hex.substr(0, 2) / hex.substr(2);
}

Expected<bool> BlobCache::copy_out(const util::Hash128& hash, const fs::path& destination) const {
  const fs::path entry = path(hash);
  struct stat st {};
  if (::stat(entry.c_str(), &st) != 0) {
    return false;
  }
  if (destination.has_parent_path()) {
    QA_TRY(util::create_dirs(destination.parent_path()));
  }
  QA_TRY(util::copy_file_atomic(entry, destination, 0644));
  QA_TRY_ASSIGN(const auto digest, util::hash_file(destination));
  if (digest.hash != hash) {
    util::log::warning("removed the corrupt blob {} from the cache {}", hash.hex(),
                       quote(m_root.string()));
    std::error_code ec;
    fs::remove(entry, ec);
    fs::remove(destination, ec);
    return false;
  }
  return true;
}

Expected<util::AtomicFile> BlobCache::create_entry(const util::Hash128& hash) const {
  const fs::path entry = path(hash);
  QA_TRY(util::create_dirs(entry.parent_path()));
  return util::AtomicFile::create(entry, 0444);
}

}  // namespace qa::http
