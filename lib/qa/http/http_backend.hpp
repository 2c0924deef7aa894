#pragma once

#include <memory>
#include <optional>

#include <qa/http/blob_cache.hpp>
#include <qa/http/client.hpp>
#include <qa/http/settings.hpp>
#include <qa/store/backend.hpp>

namespace qa::http {

// A store served over HTTP by any server with GET, HEAD and PUT (nginx WebDAV, an artifact
// server), in the store layout of store/store.hpp under the base URL.
//  - Blobs: HEAD, then PUT only when absent (servers overwrite on PUT: never overwriting is the
//    client's job). A GET streams into a temporary file while hashing; a blob whose content
//    does not hash to its name is refused and leaves nothing behind. Verified blobs enter the
//    local blob cache (settings.blob_cache), which later GETs read first.
//  - Documents (records, branch indexes): GET and PUT of the whole body, so a reader sees the
//    old or the new one. Records are not cached: a rerun may replace them.
//  - Listing reads the JSON folder listings of nginx's `autoindex_format json` (their "size"
//    and "mtime" give the objects' sizes and times); a server without them cannot list
//    (callers then name the runs). A subclass lists otherwise by overriding list_under().
//  - Removal is a DELETE (WebDAV: nginx's `dav_methods DELETE`); a 404 means already gone.
//  - Checking a blob GETs it from the server, never from the blob cache, hashing it as it
//    streams in and keeping nothing.
//  - The batch operations run in parallel (settings.jobs) over kept-alive connections.
class HttpBackend : public store::Backend {
 public:
  explicit HttpBackend(Settings settings);

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] Expected<bool> has_blob(const util::Hash128& hash) override;
  [[nodiscard]] Expected<void> put_blob(const util::Hash128& hash,
                                        const std::filesystem::path& source,
                                        std::uint64_t size) override;
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const std::filesystem::path& destination) override;
  [[nodiscard]] Expected<std::vector<bool>> has_blobs(
      const std::vector<util::Hash128>& hashes) override;
  [[nodiscard]] Expected<void> put_blobs(const std::vector<store::BlobUpload>& uploads) override;
  [[nodiscard]] Expected<void> get_blobs(
      const std::vector<store::BlobDownload>& downloads) override;
  [[nodiscard]] Expected<std::optional<std::string>> get_document(std::string_view rel) override;
  [[nodiscard]] Expected<void> put_document(std::string_view rel,
                                            std::string_view content) override;
  [[nodiscard]] Expected<std::vector<std::string>> list_documents(std::string_view prefix) override;
  [[nodiscard]] Expected<std::vector<store::ObjectInfo>> list_objects(
      std::string_view prefix) override;
  [[nodiscard]] Expected<void> remove_object(std::string_view rel) override;
  [[nodiscard]] Expected<store::BlobState> check_blob(const util::Hash128& hash) override;
  [[nodiscard]] Expected<std::vector<store::BlobState>> check_blobs(
      const std::vector<util::Hash128>& hashes) override;

  // Return the path of the blob `hash` relative to the base URL.
  [[nodiscard]] static std::string blob_path(const util::Hash128& hash);

 protected:
  // Return the objects under the folder `prefix` (a path already checked), relative to it,
  // sorted by path, each once; the temporary files of writes in progress (`.tmp.*`) are left
  // out. Here, a walk of nginx's JSON folder listings, the folders of one depth listed together
  // and the walk bounded (a server whose listings loop is given up on).
  [[nodiscard]] virtual Expected<std::vector<store::ObjectInfo>> list_under(
      std::string_view prefix);

 private:
  Client m_client;
  std::optional<BlobCache> m_cache;
};

}  // namespace qa::http
