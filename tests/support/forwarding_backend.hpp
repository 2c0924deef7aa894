#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/store/memory_backend.hpp>

namespace qa::test {

// A backend that forwards the single-blob, document and maintenance operations to a store in
// memory (its batch operations are Backend's defaults). Tests derive from it to count calls or
// inject failures in the operations they override.
class ForwardingBackend : public store::Backend {
 public:
  [[nodiscard]] std::string describe() const override { return "forwarding://"; }
  [[nodiscard]] Expected<bool> has_blob(const util::Hash128& hash) override {
    return memory.has_blob(hash);
  }
  [[nodiscard]] Expected<void> put_blob(const util::Hash128& hash,
                                        const std::filesystem::path& source,
                                        std::uint64_t size) override {
    return memory.put_blob(hash, source, size);
  }
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const std::filesystem::path& destination) override {
    return memory.get_blob(hash, destination);
  }
  [[nodiscard]] Expected<std::optional<std::string>> get_document(std::string_view rel) override {
    return memory.get_document(rel);
  }
  [[nodiscard]] Expected<void> put_document(std::string_view rel,
                                            std::string_view content) override {
    return memory.put_document(rel, content);
  }
  [[nodiscard]] Expected<std::vector<std::string>> list_documents(
      std::string_view prefix) override {
    return memory.list_documents(prefix);
  }
  [[nodiscard]] Expected<std::vector<store::ObjectInfo>> list_objects(
      std::string_view prefix) override {
    return memory.list_objects(prefix);
  }
  [[nodiscard]] Expected<void> remove_object(std::string_view rel) override {
    return memory.remove_object(rel);
  }
  [[nodiscard]] Expected<store::BlobState> check_blob(const util::Hash128& hash) override {
    return memory.check_blob(hash);
  }

  store::MemoryBackend memory;
};

}  // namespace qa::test
