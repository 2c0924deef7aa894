#pragma once

#include <string>
#include <string_view>

#include <qa/http/settings.hpp>
#include <qa/util/error.hpp>

namespace qa::http {

// Where an `s3://bucket/prefix` store lives and how its requests are signed.
struct S3Location {
  // The transfer settings; `base_url` is the URL of the prefix, under which the store's layout
  // (store/store.hpp) lies object by object, and `s3` holds the signing keys.
  Settings settings;
  std::string bucket_url;  // the bucket's URL, without final `/`: where ListObjectsV2 is asked
  std::string prefix;      // the key prefix, without `/` at either end; may be empty
};

// Return the location of the store `location` (`s3://bucket` or `s3://bucket/prefix`; a bucket
// name has 3 to 63 lowercase letters, digits, dots and dashes) with its credentials from
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, its region from AWS_REGION,
// else AWS_DEFAULT_REGION, else us-east-1, and its transfer policy (read_transfer_policy()).
// With AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL (MinIO, Ceph, R2, s3rver), objects are
// addressed path-style, `ENDPOINT/bucket/key`; without, virtual-hosted style,
// `https://bucket.s3.REGION.amazonaws.com/key`. Missing credentials are a config error naming
// the variables; no message ever shows a secret.
[[nodiscard]] Expected<S3Location> s3_location_from_environment(std::string_view location);

}  // namespace qa::http
