#include <qa/http/blob_sink.hpp>

#include <qa/util/file.hpp>

namespace qa::http {

BlobSink::BlobSink(util::Hash128 hash, std::filesystem::path target, unsigned mode,
                   std::optional<std::uint64_t> expected_size)
    : m_hash(hash), m_target(std::move(target)), m_mode(mode), m_expected_size(expected_size) {}

Expected<void> BlobSink::restart() {
  m_file.reset();  // removes the temporary file of a previous attempt
  m_hasher.reset();
  if (m_target.has_parent_path()) {
    QA_TRY(util::create_dirs(m_target.parent_path()));
  }
  QA_TRY_ASSIGN(auto file, util::AtomicFile::create(m_target, m_mode));
  m_file.emplace(std::move(file));
  return {};
}

Expected<void> BlobSink::write(std::string_view bytes) {
  if (m_expected_size && m_hasher.size() + bytes.size() > *m_expected_size) {
    return fail("blob {} is larger than the {} bytes its record says: the answer was abandoned",
                m_hash.hex(), *m_expected_size);
  }
  m_hasher.update(bytes);
  return m_file->write(bytes);
}

Expected<void> BlobSink::finish(std::string_view url, Replace replace) {
  if (!m_file) {
    return fail("cannot GET {}: no content", quote(url));
  }
  const util::Hash128 digest = m_hasher.digest();
  if (digest != m_hash) {
    m_file.reset();
    return fail(
        "cannot GET {}: the content is corrupt: {} bytes that hash to {}, not {}; "
        "nothing was kept",
        quote(url), m_hasher.size(), digest.hex(), m_hash.hex());
  }
  auto committed = replace == Replace::yes ? m_file->commit(util::Fsync::no)
                                           : m_file->commit_no_replace(util::Fsync::no);
  m_file.reset();
  return committed;
}

Expected<void> HashSink::restart() {
  m_hasher.reset();
  return {};
}

Expected<void> HashSink::write(std::string_view bytes) {
  m_hasher.update(bytes);
  return {};
}

}  // namespace qa::http
