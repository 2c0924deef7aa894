#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::http {

// One page of an S3 ListObjectsV2 answer (`GET /?list-type=2&prefix=...`):
//   <ListBucketResult ...><IsTruncated>true</IsTruncated>
//     <Contents><Key>a/b.json</Key>...</Contents>...
//     <NextContinuationToken>...</NextContinuationToken></ListBucketResult>
struct S3ListPage {
  std::vector<std::string> keys;  // XML entities decoded
  bool truncated = false;
  std::string next_token;  // set when `truncated`
};

// Return the page that the XML document `xml` describes. A document that is not a
// ListBucketResult, a key or token that does not close, a bad entity, or a truncated page
// without a continuation token is an error.
[[nodiscard]] Expected<S3ListPage> parse_s3_list_page(std::string_view xml);

// Return the query string of a ListObjectsV2 request for the keys under `prefix`, continued at
// `token` when not empty: its parameters sorted by name and escaped as AWS Signature V4 wants.
[[nodiscard]] std::string s3_list_query(std::string_view prefix, std::string_view token);

}  // namespace qa::http
