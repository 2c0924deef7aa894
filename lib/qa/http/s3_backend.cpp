#include <qa/http/s3_backend.hpp>

#include <algorithm>
#include <utility>

#include <qa/http/s3_listing.hpp>
#include <qa/util/path.hpp>

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
    : m_objects(location.settings),
      m_bucket(bucket_settings(location)),
      m_prefix(location.prefix.empty() ? std::string() : location.prefix + "/") {}

std::string S3Backend::describe() const { return m_objects.describe(); }

Expected<bool> S3Backend::has_blob(const util::Hash128& hash) { return m_objects.has_blob(hash); }

Expected<void> S3Backend::put_blob(const util::Hash128& hash, const std::filesystem::path& source,
                                   std::uint64_t size) {
  return m_objects.put_blob(hash, source, size);
}

Expected<void> S3Backend::get_blob(const util::Hash128& hash,
                                   const std::filesystem::path& destination) {
  return m_objects.get_blob(hash, destination);
}

Expected<std::vector<bool>> S3Backend::has_blobs(const std::vector<util::Hash128>& hashes) {
  return m_objects.has_blobs(hashes);
}

Expected<void> S3Backend::put_blobs(const std::vector<store::BlobUpload>& uploads) {
  return m_objects.put_blobs(uploads);
}

Expected<void> S3Backend::get_blobs(const std::vector<store::BlobDownload>& downloads) {
  return m_objects.get_blobs(downloads);
}

Expected<std::optional<std::string>> S3Backend::get_document(std::string_view rel) {
  return m_objects.get_document(rel);
}

Expected<void> S3Backend::put_document(std::string_view rel, std::string_view content) {
  return m_objects.put_document(rel, content);
}

Expected<std::vector<std::string>> S3Backend::list_documents(std::string_view prefix) {
  QA_TRY(util::check_relative_path(prefix));
  std::string folder(prefix);
  while (folder.ends_with('/')) {
    folder.pop_back();
  }
  const std::string under = m_prefix + (folder.empty() ? std::string() : folder + "/");
  std::vector<std::string> files;
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
    for (auto& key : parsed->keys) {
      if (key.starts_with(under) && key.size() > under.size()) {
        files.push_back(key.substr(under.size()));
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
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace qa::http
