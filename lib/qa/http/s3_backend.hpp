#pragma once

#include <qa/http/client.hpp>
#include <qa/http/http_backend.hpp>
#include <qa/http/s3_settings.hpp>

namespace qa::http {

// A store in an S3 bucket (AWS S3, MinIO, Ceph, R2), `s3://bucket/prefix`, in the store layout of
// store/store.hpp under the key prefix. It is an HttpBackend whose transfer client signs every
// request (AWS Signature V4, S3Location), so objects are read, written, removed and checked
// exactly as there: HEAD before PUT, blob before record, verified streaming downloads into the
// blob cache, DELETE (S3 answers 204 whether or not the key was there), blob checks that read
// the bucket and never the cache, retries with backoff, parallel transfers. Only listing
// differs: S3 has no folders, so it asks ListObjectsV2 for the keys under a prefix (with their
// <Size> and <LastModified>), page after page (continuation tokens).
class S3Backend final : public HttpBackend {
 public:
  explicit S3Backend(S3Location location);

 protected:
  [[nodiscard]] Expected<std::vector<store::ObjectInfo>> list_under(
      std::string_view prefix) override;

 private:
  Client m_bucket;       // the bucket itself, for ListObjectsV2
  std::string m_prefix;  // the key prefix, "" or ending with `/`
};

}  // namespace qa::http
