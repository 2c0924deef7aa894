#pragma once

#include <chrono>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::http {

// The modification times that store listings give, to the second.

// Parse the RFC 3339 (ISO 8601) time `text`, `2026-11-30T18:00:00.000Z`, as S3's ListObjectsV2
// gives its <LastModified>: fractions of a second are dropped, the zone is `Z` or an offset
// `+hh:mm`/`-hh:mm`. Fail naming `text` otherwise.
[[nodiscard]] Expected<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// Parse the HTTP date (RFC 1123, IMF-fixdate) `text`, `Mon, 30 Nov 2026 18:00:00 GMT`, as
// nginx's JSON folder listings give their "mtime"; the day name is not checked against the
// date. Fail naming `text` otherwise.
[[nodiscard]] Expected<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view text);

}  // namespace qa::http
