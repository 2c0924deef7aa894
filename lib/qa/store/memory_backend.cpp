#include <qa/store/memory_backend.hpp>

#include <algorithm>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/path.hpp>

namespace qa::store {

namespace {

// The time of a write, to the second as the other backends tell it.
std::chrono::system_clock::time_point now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Return the hash of the blob at `rel` (`cas/<h[0:2]>/<h[2:]>`), or nothing when `rel` is no
// blob's path.
std::optional<util::Hash128> blob_at(std::string_view rel) {
  if (rel.size() != 4 + 2 + 1 + 30 || !rel.starts_with("cas/") || rel[6] != '/') {
    return std::nullopt;
  }
  std::string hex;
  hex.reserve(32);
  hex.append(rel.substr(4, 2));
  hex.append(rel.substr(7));
  auto hash = util::Hash128::from_hex(hex);
  if (!hash || blob_rel_path(*hash) != rel) {
    return std::nullopt;
  }
  return *hash;
}

}  // namespace

Expected<bool> MemoryBackend::has_blob(const util::Hash128& hash) {
  const std::lock_guard lock(m_mutex);
  return m_blobs.contains(hash);
}

Expected<void> MemoryBackend::put_blob(const util::Hash128& hash,
                                       const std::filesystem::path& source, std::uint64_t size) {
  QA_TRY_ASSIGN(std::string content, util::read_file(source));
  if (content.size() != size) {
    return fail("cannot store {}: it changed while it was recorded", quote(source.string()));
  }
  const std::lock_guard lock(m_mutex);
  if (m_blobs.emplace(hash, Object{std::move(content), now()}).second) {
    ++m_blob_writes;
  }
  return {};
}

void MemoryBackend::touch_blob(const util::Hash128& hash) {
  const std::lock_guard lock(m_mutex);
  if (const auto it = m_blobs.find(hash); it != m_blobs.end()) {
    it->second.modified = now();
  }
}

Expected<void> MemoryBackend::get_blob(const util::Hash128& hash,
                                       const std::filesystem::path& destination) {
  std::string content;
  {
    const std::lock_guard lock(m_mutex);
    const auto it = m_blobs.find(hash);
    if (it == m_blobs.end()) {
      return fail("blob {} is missing from store \"memory://\"", hash.hex());
    }
    content = it->second.bytes;
  }
  if (util::hash_bytes(content) != hash) {
    return fail("blob {} in store \"memory://\" is corrupt", hash.hex());
  }
  return util::write_file_atomic(destination, content, util::Fsync::no);
}

Expected<std::optional<std::string>> MemoryBackend::get_document(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  const std::lock_guard lock(m_mutex);
  const auto it = m_documents.find(rel);
  if (it == m_documents.end()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second.bytes);
}

Expected<void> MemoryBackend::put_document(std::string_view rel, std::string_view content) {
  QA_TRY(util::check_relative_path(rel));
  const std::lock_guard lock(m_mutex);
  m_documents[std::string(rel)] = Object{std::string(content), now()};
  return {};
}

Expected<std::vector<std::string>> MemoryBackend::list_documents(std::string_view prefix) {
  QA_TRY(util::check_relative_path(prefix));
  const std::string folder = std::string(prefix) + "/";
  std::vector<std::string> out;
  const std::lock_guard lock(m_mutex);
  for (const auto& [path, _] : m_documents) {
    if (path.starts_with(folder)) {
      out.push_back(path.substr(folder.size()));
    }
  }
  return out;
}

std::size_t MemoryBackend::blob_writes() const {
  const std::lock_guard lock(m_mutex);
  return m_blob_writes;
}

void MemoryBackend::corrupt_blob(const util::Hash128& hash, std::string bytes) {
  const std::lock_guard lock(m_mutex);
  auto& blob = m_blobs[hash];
  blob.bytes = std::move(bytes);
  if (blob.modified == std::chrono::system_clock::time_point()) {
    blob.modified = now();
  }
}

bool MemoryBackend::set_modified(std::string_view rel, std::chrono::system_clock::time_point time) {
  const std::lock_guard lock(m_mutex);
  if (const auto document = m_documents.find(rel); document != m_documents.end()) {
    document->second.modified = time;
    return true;
  }
  const auto hash = blob_at(rel);
  const auto blob = hash ? m_blobs.find(*hash) : m_blobs.end();
  if (blob == m_blobs.end()) {
    return false;
  }
  blob->second.modified = time;
  return true;
}

Expected<std::vector<ObjectInfo>> MemoryBackend::list_objects(std::string_view prefix) {
  if (!prefix.empty()) {  // empty: the whole store
    QA_TRY(util::check_relative_path(prefix));
  }
  const std::string folder = prefix.empty() ? std::string() : std::string(prefix) + "/";
  std::vector<ObjectInfo> out;
  const std::lock_guard lock(m_mutex);
  for (const auto& [path, object] : m_documents) {
    if (path.starts_with(folder)) {
      out.push_back(ObjectInfo{path.substr(folder.size()), object.bytes.size(), object.modified});
    }
  }
  for (const auto& [hash, object] : m_blobs) {
    if (std::string path = blob_rel_path(hash); path.starts_with(folder)) {
      out.push_back(ObjectInfo{path.substr(folder.size()), object.bytes.size(), object.modified});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.path < b.path; });
  return out;
}

Expected<void> MemoryBackend::remove_object(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  const std::lock_guard lock(m_mutex);
  if (const auto document = m_documents.find(rel); document != m_documents.end()) {
    m_documents.erase(document);
  } else if (const auto hash = blob_at(rel)) {
    m_blobs.erase(*hash);
  }
  return {};
}

Expected<BlobState> MemoryBackend::check_blob(const util::Hash128& hash) {
  const std::lock_guard lock(m_mutex);
  const auto it = m_blobs.find(hash);
  if (it == m_blobs.end()) {
    return BlobState::missing;
  }
  return util::hash_bytes(it->second.bytes) == hash ? BlobState::intact : BlobState::corrupt;
}

}  // namespace qa::store
