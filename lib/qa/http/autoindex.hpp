#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::http {

// One entry of a folder listing.
struct ListingEntry {
  std::string name;
  bool directory = false;
};

// Parse the folder listing that nginx serves with `autoindex on; autoindex_format json;`: a JSON
// array of objects with "name" and "type" ("directory", "file" or "other"). Return an error
// (without naming anything: the caller knows the URL) when `body` is not such a listing.
[[nodiscard]] Expected<std::vector<ListingEntry>> parse_autoindex(std::string_view body);

}  // namespace qa::http
