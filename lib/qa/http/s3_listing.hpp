#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::http {

// One object of an S3 listing.
struct S3Object {
  std::string key;                                 // XML entities decoded
  std::uint64_t size = 0;                          // <Size>; 0 when not given
  std::chrono::system_clock::time_point modified;  // <LastModified>; the epoch when not given
};

// One page of an S3 ListObjectsV2 answer (`GET /?list-type=2&prefix=...`):
//   <ListBucketResult ...><IsTruncated>true</IsTruncated>
//     <Contents><Key>a/b.json</Key><LastModified>2026-11-30T18:00:00.000Z</LastModified>
//       <Size>12</Size>...</Contents>...
//     <NextContinuationToken>...</NextContinuationToken></ListBucketResult>
struct S3ListPage {
  std::vector<S3Object> objects;  // one per <Contents>, in order
  bool truncated = false;
  std::string next_token;  // set when `truncated`
};

// Return the page that the XML document `xml` describes. A document that is not a
// ListBucketResult, a <Contents> without one <Key>, a key or token that does not close, a bad
// entity, a <Size> that is not a count of bytes, a <LastModified> that is not an RFC 3339 time,
// or a truncated page without a continuation token is an error.
[[nodiscard]] Expected<S3ListPage> parse_s3_list_page(std::string_view xml);

// Return the query string of a ListObjectsV2 request for the keys under `prefix`, continued at
// `token` when not empty: its parameters sorted by name and escaped as AWS Signature V4 wants.
[[nodiscard]] std::string s3_list_query(std::string_view prefix, std::string_view token);

}  // namespace qa::http
