#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include <qa/http/client.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/hash.hpp>

namespace qa::http {

enum class Replace { no, yes };

// The sink of a blob download: the body streams into a temporary file beside `target` while it
// is hashed; finish() checks the hash and only then moves the file into place. Until then, and
// whenever the check fails, nothing is visible at `target`. With an `expected_size`, a body that
// grows past it is abandoned at once (a server answering gigabytes for a small blob).
class BlobSink final : public Sink {
 public:
  BlobSink(util::Hash128 hash, std::filesystem::path target, unsigned mode,
           std::optional<std::uint64_t> expected_size = std::nullopt);

  [[nodiscard]] Expected<void> restart() override;
  [[nodiscard]] Expected<void> write(std::string_view bytes) override;

  // Check the content received against the blob's hash; on success put it at the target (with
  // Replace::no an existing file is kept), else remove it and fail naming `url`.
  [[nodiscard]] Expected<void> finish(std::string_view url, Replace replace);

  [[nodiscard]] const util::Hash128& hash() const { return m_hash; }
  [[nodiscard]] const std::filesystem::path& target() const { return m_target; }

 private:
  util::Hash128 m_hash;
  std::filesystem::path m_target;
  unsigned m_mode;
  std::optional<std::uint64_t> m_expected_size;
  std::optional<util::AtomicFile> m_file;
  util::Hasher m_hasher;
};

// The sink of a blob check (store::Backend::check_blob): the body is hashed as it streams in
// and kept nowhere, neither in a file nor in the blob cache.
class HashSink final : public Sink {
 public:
  [[nodiscard]] Expected<void> restart() override;
  [[nodiscard]] Expected<void> write(std::string_view bytes) override;

  // Return the digest of what was received since the last restart().
  [[nodiscard]] util::Hash128 digest() const { return m_hasher.digest(); }

 private:
  util::Hasher m_hasher;
};

}  // namespace qa::http
