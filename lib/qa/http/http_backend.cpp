#include <qa/http/http_backend.hpp>

#include <algorithm>
#include <map>

#include <qa/http/autoindex.hpp>
#include <qa/http/blob_sink.hpp>
#include <qa/util/file.hpp>
#include <qa/util/path.hpp>

namespace qa::http {

namespace fs = std::filesystem;

namespace {

constexpr unsigned k_output_mode = 0644;
// Bounds on one listing: the store's own layout is at most about 8 folders deep.
constexpr std::size_t k_max_listing_depth = 32;
constexpr std::size_t k_max_listed_folders = 1'000'000;
// The blobs checked at once by check_blobs().
constexpr std::size_t k_check_chunk = 1024;

bool succeeded(const Response& response) {
  return !response.error && response.status >= 200 && response.status < 300;
}

}  // namespace

HttpBackend::HttpBackend(Settings settings) : m_client(std::move(settings)) {
  if (!m_client.settings().blob_cache.empty()) {
    m_cache.emplace(m_client.settings().blob_cache);
  }
}

std::string HttpBackend::describe() const {
  const Settings& settings = m_client.settings();
  return settings.display.empty() ? settings.base_url : settings.display;
}

std::string HttpBackend::blob_path(const util::Hash128& hash) { return store::blob_rel_path(hash); }

Expected<bool> HttpBackend::has_blob(const util::Hash128& hash) {
  QA_TRY_ASSIGN(const auto present, has_blobs({hash}));
  return present.front();
}

Expected<void> HttpBackend::put_blob(const util::Hash128& hash, const fs::path& source,
                                     std::uint64_t size) {
  return put_blobs({store::BlobUpload{hash, source, size}});
}

Expected<void> HttpBackend::get_blob(const util::Hash128& hash, const fs::path& destination) {
  return get_blobs({store::BlobDownload{hash, destination, std::nullopt}});
}

Expected<std::vector<bool>> HttpBackend::has_blobs(const std::vector<util::Hash128>& hashes) {
  std::vector<Request> requests;
  for (const auto& hash : hashes) {
    requests.push_back(Request{Method::head, blob_path(hash), {}, 0, {}, nullptr, {}, {}, {}, {}});
  }
  const auto responses = m_client.perform(requests);
  std::vector<bool> present;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (!responses[i].error && responses[i].status == 404) {
      present.push_back(false);
    } else if (succeeded(responses[i])) {
      present.push_back(true);
    } else {
      return fail("{}", m_client.failure(requests[i], responses[i]));
    }
  }
  return present;
}

Expected<void> HttpBackend::put_blobs(const std::vector<store::BlobUpload>& uploads) {
  std::vector<const store::BlobUpload*> distinct;
  std::vector<util::Hash128> hashes;
  for (const auto& upload : uploads) {
    if (std::find(hashes.begin(), hashes.end(), upload.hash) == hashes.end()) {
      distinct.push_back(&upload);
      hashes.push_back(upload.hash);
    }
  }
  // A blob counts as stored when the server answers its HEAD with 200 and the blob's size: a
  // server (or a proxy) that answers 200 to everything does not make a run name blobs that
  // were never sent.
  std::vector<Request> heads;
  for (const auto& hash : hashes) {
    heads.push_back(Request{Method::head, blob_path(hash), {}, 0, {}, nullptr, {}, {}, {}, {}});
  }
  const auto answers = m_client.perform(heads);
  std::vector<Request> requests;
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    const Response& answer = answers[i];
    const bool stored = succeeded(answer) && answer.content_length == distinct[i]->size;
    if (!stored && !answer.error && answer.status != 404 && !succeeded(answer)) {
      return fail("{}", m_client.failure(heads[i], answer));
    }
    if (!stored) {
      requests.push_back(Request{Method::put,
                                 blob_path(distinct[i]->hash),
                                 distinct[i]->source,
                                 distinct[i]->size,
                                 {},
                                 nullptr,
                                 {},
                                 distinct[i]->hash,
                                 {},
                                 {}});
    }
  }
  const auto responses = m_client.perform(requests);
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (!succeeded(responses[i])) {
      return fail("{}", m_client.failure(requests[i], responses[i]));
    }
  }
  return {};
}

Expected<void> HttpBackend::get_blobs(const std::vector<store::BlobDownload>& downloads) {
  // Each distinct blob travels once; the cache (or the first destination) then serves the rest.
  std::map<util::Hash128, std::vector<fs::path>> destinations;
  std::map<util::Hash128, std::uint64_t> sizes;
  for (const auto& download : downloads) {
    destinations[download.hash].push_back(download.destination);
    if (download.size) {
      sizes[download.hash] = *download.size;
    }
  }
  std::vector<std::unique_ptr<BlobSink>> sinks;
  std::vector<util::Hash128> cached;
  for (const auto& [hash, paths] : destinations) {
    if (m_cache) {
      QA_TRY_ASSIGN(const bool hit, m_cache->copy_out(hash, paths.front()));
      if (hit) {
        cached.push_back(hash);
        continue;
      }
    }
    const auto size = sizes.find(hash);
    sinks.push_back(std::make_unique<BlobSink>(
        hash, m_cache ? m_cache->path(hash) : paths.front(), m_cache ? 0444 : k_output_mode,
        size == sizes.end() ? std::nullopt : std::optional<std::uint64_t>(size->second)));
  }
  std::vector<Request> requests;
  for (const auto& sink : sinks) {
    requests.push_back(
        Request{Method::get, blob_path(sink->hash()), {}, 0, {}, sink.get(), {}, {}, {}, {}});
  }
  const auto responses = m_client.perform(requests);
  std::optional<Error> first_error;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const std::string url = m_client.url(requests[i].path);
    if (!responses[i].error && responses[i].status == 404) {
      first_error =
          first_error.value_or(Error{fmt::format("blob {} is missing from store {}",
                                                 sinks[i]->hash().hex(), quote(describe())),
                                     ErrorKind::environment});
      continue;
    }
    if (!succeeded(responses[i])) {
      first_error = first_error.value_or(
          Error{m_client.failure(requests[i], responses[i]), ErrorKind::environment});
      continue;
    }
    auto finished = sinks[i]->finish(url, m_cache ? Replace::no : Replace::yes);
    if (!finished) {
      first_error = first_error.value_or(std::move(finished).error());
    }
  }
  if (first_error) {
    return tl::unexpected<Error>(std::move(*first_error));
  }
  // Copy what was just downloaded (and checked) to where it was asked for.
  for (const auto& sink : sinks) {
    for (const auto& path : destinations[sink->hash()]) {
      if (path == sink->target()) {
        continue;
      }
      if (path.has_parent_path()) {
        QA_TRY(util::create_dirs(path.parent_path()));
      }
      QA_TRY(util::copy_file_atomic(sink->target(), path, k_output_mode));
    }
  }
  // Blobs found in the cache were copied (and checked) to their first destination.
  for (const auto& hash : cached) {
    const auto& paths = destinations[hash];
    for (std::size_t i = 1; i < paths.size(); ++i) {
      if (paths[i].has_parent_path()) {
        QA_TRY(util::create_dirs(paths[i].parent_path()));
      }
      QA_TRY(util::copy_file_atomic(paths.front(), paths[i], k_output_mode));
    }
  }
  return {};
}

Expected<std::optional<std::string>> HttpBackend::get_document(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  std::vector<Request> requests{
      Request{Method::get, std::string(rel), {}, 0, {}, nullptr, {}, {}, {}, {}}};
  auto responses = m_client.perform(requests);
  if (!responses[0].error && responses[0].status == 404) {
    return std::optional<std::string>();
  }
  if (!succeeded(responses[0])) {
    return fail("{}", m_client.failure(requests[0], responses[0]));
  }
  return std::optional<std::string>(std::move(responses[0].body));
}

Expected<void> HttpBackend::put_document(std::string_view rel, std::string_view content) {
  QA_TRY(util::check_relative_path(rel));
  std::vector<Request> requests{
      Request{Method::put, std::string(rel), {}, 0, std::string(content), nullptr, {}, {}, {}, {}}};
  const auto responses = m_client.perform(requests);
  if (!succeeded(responses[0])) {
    return fail("{}", m_client.failure(requests[0], responses[0]));
  }
  return {};
}

Expected<std::vector<std::string>> HttpBackend::list_documents(std::string_view prefix) {
  QA_TRY(util::check_relative_path(prefix));
  QA_TRY_ASSIGN(const auto objects, list_under(prefix));
  std::vector<std::string> files;
  files.reserve(objects.size());
  for (const auto& object : objects) {
    files.push_back(object.path);
  }
  return files;
}

Expected<std::vector<store::ObjectInfo>> HttpBackend::list_objects(std::string_view prefix) {
  if (!prefix.empty()) {  // empty: the whole store
    QA_TRY(util::check_relative_path(prefix));
  }
  return list_under(prefix);
}

Expected<void> HttpBackend::remove_object(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  std::vector<Request> requests{
      Request{Method::del, std::string(rel), {}, 0, {}, nullptr, {}, {}, {}, {}}};
  const auto responses = m_client.perform(requests);
  if (!responses[0].error && responses[0].status == 404) {
    return {};  // already gone
  }
  if (!succeeded(responses[0])) {
    return fail("{}", m_client.failure(requests[0], responses[0]));
  }
  return {};
}

Expected<store::BlobState> HttpBackend::check_blob(const util::Hash128& hash) {
  QA_TRY_ASSIGN(const auto states, check_blobs({hash}));
  return states.front();
}

Expected<std::vector<store::BlobState>> HttpBackend::check_blobs(
    const std::vector<util::Hash128>& hashes) {
  // Each blob is read whole from the server (the blob cache, which holds only what was good
  // once, would hide a blob gone bad there) and hashed as it streams in; nothing is kept. The
  // blobs go in chunks, each in parallel, so that a store of millions holds few hashers at once.
  std::vector<store::BlobState> states;
  states.reserve(hashes.size());
  for (std::size_t first = 0; first < hashes.size(); first += k_check_chunk) {
    const std::size_t count = std::min(k_check_chunk, hashes.size() - first);
    std::vector<HashSink> sinks(count);
    std::vector<Request> requests;
    requests.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      requests.push_back(
          Request{Method::get, blob_path(hashes[first + i]), {}, 0, {}, &sinks[i], {}, {}, {}, {}});
    }
    const auto responses = m_client.perform(requests);
    for (std::size_t i = 0; i < responses.size(); ++i) {
      if (!responses[i].error && responses[i].status == 404) {
        states.push_back(store::BlobState::missing);
      } else if (succeeded(responses[i])) {
        states.push_back(sinks[i].digest() == hashes[first + i] ? store::BlobState::intact
                                                                : store::BlobState::corrupt);
      } else {
        return fail("{}", m_client.failure(requests[i], responses[i]));
      }
    }
  }
  return states;
}

Expected<std::vector<store::ObjectInfo>> HttpBackend::list_under(std::string_view prefix) {
  // Breadth first: the folders of one depth are listed together. The store's layout is a few
  // levels deep; a server whose listings loop (a folder that holds itself, endlessly) is
  // stopped by the bounds on depth and on the folders listed.
  std::vector<store::ObjectInfo> files;
  std::vector<std::string> folders{""};
  std::size_t depth = 0;
  std::size_t listed = 0;
  while (!folders.empty()) {
    listed += folders.size();
    if (++depth > k_max_listing_depth || listed > k_max_listed_folders) {
      return fail(
          "the http store {} lists more than {} under {} (do its folder listings "
          "loop?): giving up",
          quote(describe()),
          depth > k_max_listing_depth ? fmt::format("{} levels of folders", k_max_listing_depth)
                                      : fmt::format("{} folders", k_max_listed_folders),
          quote(prefix));
    }
    std::vector<Request> requests;
    for (const auto& folder : folders) {
      requests.push_back(Request{Method::get,
                                 prefix.empty() ? folder : fmt::format("{}/{}", prefix, folder),
                                 {},
                                 0,
                                 {},
                                 nullptr,
                                 "application/json",
                                 {},
                                 {},
                                 {}});
    }
    const auto responses = m_client.perform(requests);
    std::vector<std::string> next;
    for (std::size_t i = 0; i < responses.size(); ++i) {
      if (!responses[i].error && responses[i].status == 404) {
        continue;
      }
      const auto cannot_list = [&](std::string_view why) {
        return fail(
            "the http store {} cannot list {}: {}; serve JSON folder listings (nginx: "
            "`autoindex on; autoindex_format json;`) or name the batch",
            quote(describe()), quote(prefix), why);
      };
      if (!responses[i].error && (responses[i].status == 403 || responses[i].status == 405 ||
                                  responses[i].status == 501)) {
        return cannot_list(fmt::format("the server answered {}", responses[i].status));
      }
      if (!succeeded(responses[i])) {
        return fail("{}", m_client.failure(requests[i], responses[i]));
      }
      auto entries = parse_autoindex(responses[i].body);
      if (!entries) {
        return cannot_list(entries.error().message);
      }
      for (const auto& entry : *entries) {
        const std::string rel = folders[i] + entry.name;
        if (entry.directory) {
          next.push_back(rel + "/");
        } else if (!entry.name.starts_with(".tmp.")) {
          files.push_back(store::ObjectInfo{rel, entry.size, entry.modified});
        }
      }
    }
    folders = std::move(next);
  }
  std::sort(files.begin(), files.end(),
            [](const store::ObjectInfo& a, const store::ObjectInfo& b) { return a.path < b.path; });
  return files;
}

}  // namespace qa::http
