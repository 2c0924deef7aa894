#pragma once

#include <qa/http/client.hpp>
#include <qa/http/http_backend.hpp>
#include <qa/http/s3_settings.hpp>
#include <qa/store/backend.hpp>

namespace qa::http {

// A store in an S3 bucket (AWS S3, MinIO, Ceph, R2), `s3://bucket/prefix`, in the store layout of
// store/store.hpp under the key prefix. Objects are read and written exactly as by HttpBackend,
// whose transfer client signs every request (AWS Signature V4, S3Location): HEAD before PUT,
// blob before record, verified streaming downloads into the blob cache, retries with backoff,
// parallel transfers. S3 has no folders: listing asks ListObjectsV2 for the keys under a prefix,
// page after page (continuation tokens).
class S3Backend final : public store::Backend {
 public:
  explicit S3Backend(S3Location location);

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

 private:
  HttpBackend m_objects;  // the objects under the prefix
  Client m_bucket;        // the bucket itself, for ListObjectsV2
  std::string m_prefix;   // the key prefix, "" or ending with `/`
};

}  // namespace qa::http
