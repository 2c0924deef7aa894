#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::http {

// Who the client says it is. A bearer token wins over a user and password.
struct Credentials {
  std::string token;     // QA_STORE_TOKEN
  std::string user;      // QA_STORE_USER, else the URL's userinfo
  std::string password;  // QA_STORE_PASSWORD, else the URL's userinfo
};

// How the requests to an S3 store are signed: AWS Signature V4, computed by libcurl.
struct S3Signing {
  std::string region;         // AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1
  std::string access_key;     // AWS_ACCESS_KEY_ID
  std::string secret_key;     // AWS_SECRET_ACCESS_KEY: never printed nor logged
  std::string session_token;  // AWS_SESSION_TOKEN, sent as x-amz-security-token; may be empty
};

// Everything the http backend needs: where the store is, who we are, and the transfer policy.
// The environment variables are documented in README.md ("The http store").
struct Settings {
  std::string base_url;  // scheme://host[:port]/prefix, without userinfo nor final `/`
  Credentials credentials;
  std::string ca_bundle;             // QA_STORE_CA: a CA bundle file for TLS verification
  std::size_t jobs = 8;              // QA_STORE_JOBS: transfers at once
  int retries = 4;                   // QA_STORE_RETRIES: retries after the first attempt
  long timeout_s = 30;               // QA_STORE_TIMEOUT: connect and stall timeout, seconds
  double backoff_s = 0.25;           // first retry delay; doubles, capped at 8 s, jittered
  std::filesystem::path blob_cache;  // the local blob cache folder; empty: none
  std::optional<S3Signing> s3;       // set for an S3 store: requests are signed, not basic/bearer
  std::string display;               // what messages call the store; empty: base_url
};

// Return the settings of the store at `location` (`http://` or `https://`): the URL's userinfo
// becomes the credentials unless QA_STORE_USER/QA_STORE_PASSWORD are set, QA_STORE_TOKEN,
// QA_STORE_CA, QA_STORE_JOBS, QA_STORE_RETRIES and QA_STORE_TIMEOUT are read and checked, and the
// blob cache is blob_cache_location(). An invalid value is an error naming the variable; no
// message ever shows a credential.
[[nodiscard]] Expected<Settings> settings_from_environment(std::string_view location);

// Read the transfer policy of `settings` from the environment: QA_STORE_CA, QA_STORE_JOBS,
// QA_STORE_RETRIES, QA_STORE_TIMEOUT (checked: an invalid value is an error naming the
// variable), and the blob cache folder blob_cache_location().
[[nodiscard]] Expected<void> read_transfer_policy(Settings& settings);

// Return the local blob cache folder: `$QA_CACHE_DIR/blobs`, else `$XDG_CACHE_HOME/qatools-blobs`,
// else `~/.cache/qatools-blobs` (beside the hash cache, see util/hash_cache.hpp); empty when
// neither QA_CACHE_DIR, XDG_CACHE_HOME nor HOME is set.
[[nodiscard]] std::filesystem::path blob_cache_location();

}  // namespace qa::http
