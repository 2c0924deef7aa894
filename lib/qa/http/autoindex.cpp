#include <qa/http/autoindex.hpp>

#include <qa/http/listing_time.hpp>
#include <qa/util/json_depth.hpp>

#include <nlohmann/json.hpp>

namespace qa::http {

Expected<std::vector<ListingEntry>> parse_autoindex(std::string_view body) {
  if (util::json_depth(body) > util::k_max_json_depth) {
    return fail("the answer is not a JSON folder listing (nested too deep)");
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_array()) {
    return fail("the answer is not a JSON folder listing");
  }
  std::vector<ListingEntry> entries;
  for (const auto& item : json) {
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string()) {
      return fail("the answer is not a JSON folder listing");
    }
    const std::string name = item["name"].get<std::string>();
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
      continue;
    }
    ListingEntry entry{name, item.value("type", "") == "directory", 0, {}};
    if (const auto size = item.find("size"); size != item.end()) {
      if (!size->is_number_unsigned()) {
        return fail(
            "the answer is not a JSON folder listing (the size of {} is not a number of "
            "bytes)",
            quote(name));
      }
      entry.size = size->get<std::uint64_t>();
    }
    if (const auto mtime = item.find("mtime"); mtime != item.end()) {
      if (!mtime->is_string()) {
        return fail("the answer is not a JSON folder listing (the mtime of {} is not a date)",
                    quote(name));
      }
      const auto text = mtime->get<std::string>();
      auto modified = parse_http_date(text);
      if (!modified) {
        return fail(
            "the answer is not a JSON folder listing (the mtime of {} is {}, not an HTTP "
            "date)",
            quote(name), quote(text));
      }
      entry.modified = *modified;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace qa::http
