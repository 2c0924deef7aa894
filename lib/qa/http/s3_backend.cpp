#include <qa/http/s3_backend.hpp>

#include <algorithm>
#include <utility>

#include <qa/http/s3_listing.hpp>

namespace qa::http {

namespace {

// A bound on the pages of one listing (1,000 keys each): a server whose continuation tokens
// never end is stopped.
constexpr std::size_t k_max_list_pages = 100'000;

Settings bucket_settings(const S3Location& location) {
  Settings settings = location.settings;
  settings.base_url = location.bucket_url;
  return settings;
}

}  // namespace

S3Backend::S3Backend(S3Location location)
    : HttpBackend(location.settings),
      m_bucket(bucket_settings(location)),
      m_prefix(location.prefix.empty() ? std::string() : location.prefix + "/") {}

Expected<std::vector<store::ObjectInfo>> S3Backend::list_under(std::string_view prefix) {
  std::string folder(prefix);
  while (folder.ends_with('/')) {
    folder.pop_back();
  }
  const std::string under = m_prefix + (folder.empty() ? std::string() : folder + "/");
  std::vector<store::ObjectInfo> files;
  std::string token;
  for (std::size_t page = 0;; ++page) {
    if (page >= k_max_list_pages) {
      return fail("the S3 store {} lists more than {} pages under {}: giving up", quote(describe()),
                  k_max_list_pages, quote(prefix));
    }
    std::vector<Request> requests{
        Request{Method::get, "", {}, 0, {}, nullptr, {}, {}, {}, s3_list_query(under, token)}};
    const auto responses = m_bucket.perform(requests);
    const Response& response = responses.front();
    if (response.error || response.status < 200 || response.status >= 300) {
      return fail("{}", m_bucket.failure(requests.front(), response));
    }
    auto parsed = parse_s3_list_page(response.body);
    if (!parsed) {
      return fail("the S3 store {} cannot list {}: {}", quote(describe()), quote(prefix),
                  parsed.error().message);
    }
    for (auto& object : parsed->objects) {
      if (object.key.starts_with(under) && object.key.size() > under.size()) {
        files.push_back(
            store::ObjectInfo{object.key.substr(under.size()), object.size, object.modified});
      }
    }
    if (!parsed->truncated) {
      break;
    }
    if (parsed->next_token == token) {
      return fail("the S3 store {} cannot list {}: the same continuation token twice",
                  quote(describe()), quote(prefix));
    }
    token = std::move(parsed->next_token);
  }
  const auto by_path = [](const store::ObjectInfo& a, const store::ObjectInfo& b) {
    return a.path < b.path;
  };
  std::sort(files.begin(), files.end(), by_path);
  files.erase(std::unique(files.begin(), files.end(),
                          [](const store::ObjectInfo& a, const store::ObjectInfo& b) {
                            return a.path == b.path;
                          }),
              files.end());
  return files;
}

}  // namespace qa::http
