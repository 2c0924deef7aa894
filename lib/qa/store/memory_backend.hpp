#pragma once

#include <chrono>
#include <map>
#include <mutex>

#include <qa/store/backend.hpp>

namespace qa::store {

// A store in memory, for tests of the logic above the backends (`memory://` in a store URL).
// It counts the blobs written so tests can check that nothing travels twice. Each blob and
// document keeps the time it was written (set_modified() makes it older, for tests of gc).
class MemoryBackend final : public Backend {
 public:
  [[nodiscard]] std::string describe() const override { return "memory://"; }
  [[nodiscard]] Expected<bool> has_blob(const util::Hash128& hash) override;
  void touch_blob(const util::Hash128& hash) override;
  [[nodiscard]] Expected<void> put_blob(const util::Hash128& hash,
                                        const std::filesystem::path& source,
                                        std::uint64_t size) override;
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const std::filesystem::path& destination) override;
  [[nodiscard]] Expected<std::optional<std::string>> get_document(std::string_view rel) override;
  [[nodiscard]] Expected<void> put_document(std::string_view rel,
                                            std::string_view content) override;
  [[nodiscard]] Expected<std::vector<std::string>> list_documents(std::string_view prefix) override;
  [[nodiscard]] Expected<std::vector<ObjectInfo>> list_objects(std::string_view prefix) override;
  [[nodiscard]] Expected<void> remove_object(std::string_view rel) override;
  [[nodiscard]] Expected<BlobState> check_blob(const util::Hash128& hash) override;

  [[nodiscard]] std::size_t blob_writes() const;
  // Replace the bytes of a stored blob (to test that corruption is detected).
  void corrupt_blob(const util::Hash128& hash, std::string bytes);
  // Set the modification time of the object at `rel` (a document, or a blob at
  // blob_rel_path()) to `time`; return false when there is none.
  bool set_modified(std::string_view rel, std::chrono::system_clock::time_point time);

 private:
  struct Object {
    std::string bytes;
    std::chrono::system_clock::time_point modified;
  };

  mutable std::mutex m_mutex;
  std::map<util::Hash128, Object> m_blobs;
  std::map<std::string, Object, std::less<>> m_documents;
  std::size_t m_blob_writes = 0;
};

}  // namespace qa::store
