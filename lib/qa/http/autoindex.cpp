#include <qa/http/autoindex.hpp>

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
    entries.push_back(ListingEntry{name, item.value("type", "") == "directory"});
  }
  return entries;
}

}  // namespace qa::http
