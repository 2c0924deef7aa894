#pragma once

#include <filesystem>

#include <qa/util/atomic_file.hpp>
#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::http {

// A local read-through cache of downloaded blobs, so that fetching the same outputs twice
// downloads nothing. Layout: `<root>/<h[0:2]>/<h[2:]>`, mode 0444, like the store's cas/. Only
// blobs whose content was checked against their hash enter it, atomically (temp file + link,
// an existing entry is kept); a corrupt entry found on the way out is removed.
class BlobCache {
 public:
  explicit BlobCache(std::filesystem::path root) : m_root(std::move(root)) {}

  [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
  [[nodiscard]] std::filesystem::path path(const util::Hash128& hash) const;

  // Copy the cached blob `hash` to `destination` (atomically, mode 0644) after checking its
  // content; return false when the cache has no valid copy.
  [[nodiscard]] Expected<bool> copy_out(const util::Hash128& hash,
                                        const std::filesystem::path& destination) const;

  // Return a temporary file that becomes the entry of `hash` once committed with
  // `commit_no_replace` (the caller checks the content first).
  [[nodiscard]] Expected<util::AtomicFile> create_entry(const util::Hash128& hash) const;

 private:
  std::filesystem::path m_root;
};

}  // namespace qa::http
