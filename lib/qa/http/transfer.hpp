#pragma once

// One attempt of one request of the http client: its curl easy handle, configured from the
// settings, and the callbacks that stream the body from a file or text and into a sink. Only
// the files of lib/qa/http include this (it includes libcurl).

#include <array>
#include <chrono>
#include <optional>
#include <string>

#include <qa/http/client.hpp>
#include <qa/http/curl_handles.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::http {

struct Transfer {
  std::size_t index = 0;
  Request* request = nullptr;
  Response* response = nullptr;
  EasyHandle easy;
  HeaderList headers;
  util::UniqueFd upload_fd;
  std::size_t body_offset = 0;
  util::Hasher upload_hasher;        // what was read of `upload_file`, checked against its hash
  std::optional<Error> local_error;  // from the sink or the upload file: never retried
  std::chrono::steady_clock::time_point started;
  std::string url;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
};

// Prepare the attempt `transfer` (request, response and url set): restart the request's sink,
// open and check its upload file, then create and configure the easy handle: timeouts
// (`settings.timeout_s` to connect, and as the longest stall), credentials (for S3, an AWS
// Signature V4 with `x-amz-content-sha256: UNSIGNED-PAYLOAD`; else a bearer token, else basic),
// the request's own headers, the CA bundle, no redirects, no `Expect: 100-continue`, the
// answer's headers kept in the response, a POST or PATCH body from `upload_body`. Fail, without a
// handle, when the sink or the file fails (such errors are not retried).
[[nodiscard]] Expected<void> prepare_transfer(Transfer& transfer, const Settings& settings,
                                              const std::string& user_agent);

// Return the HTTP status of the last response on `easy` (0 when none came).
[[nodiscard]] long response_code(CURL* easy);

// Return whether an attempt that ended with `code` and `status` is worth retrying: connection
// errors, timeouts, a cut transfer, and the statuses 408, 429 and 5xx.
[[nodiscard]] bool retryable(CURLcode code, long status);

// Return the delay before retry number `attempt` (1 for the first): `settings.backoff_s`
// doubling each time, capped at 8 s, times a random factor between 0.5 and 1.
[[nodiscard]] double backoff_seconds(const Settings& settings, int attempt);

}  // namespace qa::http
