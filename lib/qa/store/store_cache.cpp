// The Store's run cache entries (store.hpp, "Run cache").
#include <qa/store/store.hpp>

#include <chrono>
#include <set>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/store/json_fields.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/log.hpp>
#include <qa/util/time.hpp>

namespace qa::store {

namespace {

constexpr std::string_view k_cache_schema = "qa.cache-entry/1";

bool is_cache_key(std::string_view key) {
  return key.size() == 32 && key.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Expected<std::string> cache_path(std::string_view project, std::string_view cache_key) {
  QA_TRY(core::check_project_name(project));
  if (!is_cache_key(cache_key)) {
    return fail("invalid cache key {}: 32 lowercase hex digits expected", quote(cache_key));
  }
  return fmt::format("{}/cache/{}/{}.json", project, cache_key.substr(0, 2), cache_key.substr(2));
}

}  // namespace

Expected<std::optional<CacheEntry>> Store::get_cache_entry(std::string_view project,
                                                           std::string_view cache_key) {
  QA_TRY_ASSIGN(const std::string path, cache_path(project, cache_key));
  QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
  if (!text) {
    return std::optional<CacheEntry>();
  }
  const auto ignored = [&](std::string_view why) {
    util::log::warning("cache entry {} in store {} ignored: {}", quote(path), quote(describe()),
                       why);
    return std::optional<CacheEntry>();
  };
  if (auto depth = util::check_json_depth(*text, path); !depth) {
    return ignored(depth.error().message);
  }
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  const std::string* commit = string_field(json, "commit");
  const std::string* key = string_field(json, "key");
  if (!has_string_field(json, "schema", k_cache_schema) || commit == nullptr || key == nullptr) {
    return ignored(fmt::format("not a {} document", k_cache_schema));
  }
  CacheEntry entry{*commit, *key};
  if (!core::check_commit_key(entry.commit) || !core::check_run_key(entry.key)) {
    return ignored("it names no valid commit and run");
  }
  return std::optional<CacheEntry>(std::move(entry));
}

Expected<void> Store::put_cache_entry(std::string_view project, std::string_view cache_key,
                                      const CacheEntry& entry) {
  QA_TRY(check_writable("a cache entry"));
  QA_TRY(core::check_commit_key(entry.commit));
  QA_TRY(core::check_run_key(entry.key));
  QA_TRY_ASSIGN(const std::string path, cache_path(project, cache_key));
  const nlohmann::json document{{"schema", k_cache_schema},
                                {"commit", entry.commit},
                                {"key", entry.key},
                                {"written_at", util::rfc3339(std::chrono::system_clock::now())}};
  return m_backend->put_document(path, document.dump(2) + "\n");
}

Expected<bool> Store::put_run_of_stored_blobs(const core::RunRecord& record) {
  QA_TRY(check_record_to_write(record));
  std::set<util::Hash128> unique;
  for (const auto& [rel, entry] : record.files) {
    unique.insert(entry.hash);
  }
  if (record.log) {
    unique.insert(record.log->entry.hash);
  }
  const std::vector<util::Hash128> hashes(unique.begin(), unique.end());
  QA_TRY_ASSIGN(const auto held, m_backend->has_blobs(hashes));
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (!held[i]) {
      util::log::debug("blob {} of run {} is no longer in the store", hashes[i].hex(),
                       quote(record.key));
      return false;
    }
  }
  // Dated anew before the record names them: gc's grace period covers them from now on.
  for (const auto& hash : hashes) {
    m_backend->touch_blob(hash);
  }
  QA_TRY(put_record_document(record));
  return true;
}

}  // namespace qa::store
