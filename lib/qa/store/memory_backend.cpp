#include <qa/store/memory_backend.hpp>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/path.hpp>

namespace qa::store {

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
  if (m_blobs.emplace(hash, std::move(content)).second) {
    ++m_blob_writes;
  }
  return {};
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
    content = it->second;
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
  return std::optional<std::string>(it->second);
}

Expected<void> MemoryBackend::put_document(std::string_view rel, std::string_view content) {
  QA_TRY(util::check_relative_path(rel));
  const std::lock_guard lock(m_mutex);
  m_documents[std::string(rel)] = std::string(content);
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
  m_blobs[hash] = std::move(bytes);
}

}  // namespace qa::store
