#pragma once

#include <atomic>
#include <filesystem>

#include <qa/store/backend.hpp>

namespace qa::store {

// A store in a local folder (an NFS mount works too). Blobs live in `cas/<h[0:2]>/<h[2:]>`, mode
// 0444, entered by reflink or copy (never a hard link) and checked against their hash; documents
// are written to a temporary file, synced (see DocumentSync) and renamed. Several processes may
// write at once.
class LocalBackend final : public Backend {
 public:
  // Open the store folder `root`; fail naming it when it cannot be used (a file in the way, no
  // permission). For Access::read_write it is created when missing and must be writable; for
  // Access::read_only it needs only read access, and a missing folder is an empty store.
  [[nodiscard]] static Expected<std::unique_ptr<LocalBackend>> open(
      const std::filesystem::path& root, Access access = Access::read_write);

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] Expected<bool> has_blob(const util::Hash128& hash) override;
  [[nodiscard]] Expected<void> put_blob(const util::Hash128& hash,
                                        const std::filesystem::path& source,
                                        std::uint64_t size) override;
  // Set the blob's time to now; only its owner may (a blob is read-only): in a store shared by
  // several users another writer's blob keeps its time.
  void touch_blob(const util::Hash128& hash) override;
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const std::filesystem::path& destination) override;
  [[nodiscard]] Expected<std::optional<std::string>> get_document(std::string_view rel) override;
  [[nodiscard]] Expected<void> put_document(std::string_view rel,
                                            std::string_view content) override;
  [[nodiscard]] Expected<std::vector<std::string>> list_documents(std::string_view prefix) override;
  // Regular files only (lstat: a symbolic link is no object), times from their mtime.
  [[nodiscard]] Expected<std::vector<ObjectInfo>> list_objects(std::string_view prefix) override;
  // Unlink the file; the folders of a document left empty are removed too, up to the root
  // (never those of cas/, where a concurrent put_blob may be about to write).
  [[nodiscard]] Expected<void> remove_object(std::string_view rel) override;
  // Hash the blob where it lies, without copying it.
  [[nodiscard]] Expected<BlobState> check_blob(const util::Hash128& hash) override;
  // With DocumentSync::on_flush, documents are not synced one by one; flush() syncs the
  // filesystem of the store (syncfs: the records, their folders and the blobs) at once.
  void set_document_sync(DocumentSync sync) override { m_document_sync = sync; }
  [[nodiscard]] Expected<void> flush() override;

  // Return the path of the blob `hash` (it may not exist).
  [[nodiscard]] std::filesystem::path blob_path(const util::Hash128& hash) const;

 private:
  explicit LocalBackend(std::filesystem::path root) : m_root(std::move(root)) {}
  std::filesystem::path m_root;
  std::atomic<DocumentSync> m_document_sync{DocumentSync::each_write};
  // Cleared when the filesystem refuses FICLONE, so that each blob does not ask again.
  std::atomic<bool> m_try_reflink{true};
};

}  // namespace qa::store
