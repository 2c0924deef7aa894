#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::http {

// One entry of a folder listing.
struct ListingEntry {
  std::string name;
  bool directory = false;
  std::uint64_t size = 0;                          // of a file; 0 when not given
  std::chrono::system_clock::time_point modified;  // the epoch when not given
};

// Parse the folder listing that nginx serves with `autoindex on; autoindex_format json;`: a JSON
// array of objects with "name", "type" ("directory", "file" or "other"), "mtime" (an HTTP date,
// `Mon, 30 Nov 2026 18:00:00 GMT`) and, for files, "size" (bytes):
//   [{"name": "cas", "type": "directory", "mtime": "Mon, 30 Nov 2026 18:00:00 GMT"},
//    {"name": "run.json", "type": "file", "mtime": "Mon, 30 Nov 2026 18:00:00 GMT", "size": 12}]
// Entries named "", ".", ".." or holding a `/` are skipped. Return an error (without naming
// anything: the caller knows the URL) when `body` is not such a listing, or when an entry's
// "mtime" or "size" is there but is not a date or a count of bytes.
[[nodiscard]] Expected<std::vector<ListingEntry>> parse_autoindex(std::string_view body);

}  // namespace qa::http
