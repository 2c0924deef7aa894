#include <qa/store/store.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/util/cache_dir.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/parallel.hpp>
#include <qa/util/time.hpp>

namespace qa::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_branch_schema = "qa.branch/1";

}  // namespace

Expected<void> Store::check_stored_under(const core::RunRecord& record, std::string_view project,
                                         std::string_view commit, std::string_view key,
                                         std::string_view path) {
  if (record.key != key || record.commit != commit || record.project != project) {
    return fail(
        "invalid run record {}: it holds the run {} of commit {} of {}, not the one "
        "stored there",
        quote(path), quote(record.key), record.commit.substr(0, 12), quote(record.project));
  }
  return {};
}

Expected<Store> Store::open(std::string_view location, Access access) {
  QA_TRY_ASSIGN(auto backend, open_backend(location, access));
  return Store(std::move(backend), access);
}

Store::Store(std::unique_ptr<Backend> backend, Access access)
    : m_backend(std::move(backend)), m_access(access) {}

Expected<void> Store::check_writable(std::string_view what) const {
  if (m_access == Access::read_only) {
    return fail("cannot write {} to store {}: it was opened read-only", what, quote(describe()));
  }
  return {};
}

Expected<void> Store::get_blob(const util::Hash128& hash, const fs::path& destination) {
  return m_backend->get_blob(hash, destination);
}

Expected<void> Store::get_blobs(const std::vector<BlobDownload>& downloads) {
  return m_backend->get_blobs(downloads);
}

std::string Store::commit_folder(std::string_view project, std::string_view commit) {
  return fmt::format("{}/commits/{}/{}", project, commit.substr(0, 2), commit.substr(2));
}

std::string Store::record_path(std::string_view project, std::string_view commit,
                               std::string_view key) {
  return fmt::format("{}/{}/run.json", commit_folder(project, commit), key);
}

Expected<void> Store::check_record_to_write(const core::RunRecord& record) const {
  QA_TRY(check_writable("run " + quote(record.key)));
  QA_TRY(core::check_project_name(record.project));
  QA_TRY(core::check_commit_key(record.commit));
  return core::check_run_key(record.key);
}

Expected<void> Store::put_record_document(const core::RunRecord& record) {
  return m_backend->put_document(record_path(record.project, record.commit, record.key),
                                 core::to_json(record).dump(2) + "\n");
}

Expected<void> Store::put_run(const core::RunRecord& record, const fs::path& output_dir) {
  QA_TRY(check_record_to_write(record));
  // Each distinct blob once; the backend skips those it holds and transfers the rest together.
  std::vector<BlobUpload> uploads;
  std::set<util::Hash128> seen;
  for (const auto& [rel, entry] : record.files) {
    if (seen.insert(entry.hash).second) {
      uploads.push_back(BlobUpload{entry.hash, output_dir / fs::path(rel), entry.size});
    }
  }
  if (record.log && seen.insert(record.log->entry.hash).second) {
    uploads.push_back(BlobUpload{record.log->entry.hash, record.log->path, record.log->entry.size});
  }
  QA_TRY(m_backend->put_blobs(uploads));
  return put_record_document(record);
}

Expected<bool> Store::has_single_run(std::string_view project, std::string_view commit,
                                     std::string_view key) {
  QA_TRY(core::check_commit_key(commit));
  QA_TRY(core::check_run_key(key));
  QA_TRY_ASSIGN(const auto text, m_backend->get_document(record_path(project, commit, key)));
  return text.has_value();
}

Expected<std::optional<core::RunRecord>> Store::get_single_run(std::string_view project,
                                                               std::string_view commit,
                                                               std::string_view key) {
  QA_TRY(core::check_commit_key(commit));
  QA_TRY(core::check_run_key(key));
  const std::string path = record_path(project, commit, key);
  QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
  if (!text) {
    return std::optional<core::RunRecord>();
  }
  QA_TRY_ASSIGN(auto record, core::parse_record(*text, path));
  QA_TRY(check_stored_under(record, project, commit, key, path));
  return std::optional<core::RunRecord>(std::move(record));
}

Expected<std::optional<core::RunRecord>> Store::get_run(std::string_view project,
                                                        std::string_view commit,
                                                        std::string_view key) {
  QA_TRY_ASSIGN(auto records, get_runs(project, commit, {std::string(key)}));
  return std::move(records.front());
}

Expected<std::vector<std::optional<core::RunRecord>>> Store::get_runs(
    std::string_view project, std::string_view commit, const std::vector<std::string>& keys) {
  QA_TRY(core::check_commit_key(commit));
  std::vector<std::string> paths;
  paths.reserve(keys.size());
  for (const auto& key : keys) {
    QA_TRY(core::check_run_key(key));
    paths.push_back(record_path(project, commit, key));
  }
  // The runs the packs hold, then single records for the others.
  QA_TRY_ASSIGN(auto packed, read_packs(project, commit));
  std::vector<std::optional<core::RunRecord>> records(keys.size());
  std::vector<std::string> loose_paths;
  std::vector<std::size_t> loose;
  std::vector<std::pair<std::size_t, std::size_t>> repeated;  // (index, index of its first)
  std::map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (const auto [at, inserted] = first.emplace(keys[i], i); !inserted) {
      repeated.emplace_back(i, at->second);
    } else if (auto* run = packed.find(keys[i])) {
      // Keys are unique here (repeats are copied below): the run is moved out once, and the
      // search of the next keys reads no moved-from key.
      std::string key = run->key;
      records[i] = std::move(*run);
      run->key = std::move(key);
    } else {
      loose_paths.push_back(std::move(paths[i]));
      loose.push_back(i);
    }
  }
  QA_TRY_ASSIGN(auto found, fetch_records(loose_paths));
  for (std::size_t j = 0; j < found.size(); ++j) {
    if (found[j]) {
      QA_TRY(check_stored_under(*found[j], project, commit, keys[loose[j]], loose_paths[j]));
      records[loose[j]] = std::move(found[j]);
    }
  }
  for (const auto& [i, of] : repeated) {
    records[i] = records[of];
  }
  return records;
}

Expected<std::vector<std::optional<core::RunRecord>>> Store::fetch_records(
    const std::vector<std::string>& paths) {
  // Records are read and parsed in parallel, a chunk at a time: 100,000 records are bound by
  // parsing locally and by round trips remotely (backends are thread-safe).
  constexpr std::size_t k_chunk = 4096;
  const std::size_t threads = std::max<std::size_t>(8, std::thread::hardware_concurrency());
  std::vector<std::optional<core::RunRecord>> records;
  records.reserve(paths.size());
  std::vector<std::optional<Expected<std::optional<core::RunRecord>>>> parsed;
  for (std::size_t start = 0; start < paths.size(); start += k_chunk) {
    const std::size_t count = std::min(k_chunk, paths.size() - start);
    parsed.assign(count, std::nullopt);
    util::parallel_for(
        count,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            const std::string& path = paths[start + i];
            parsed[i] = m_backend->get_document(path).and_then(
                [&](const std::optional<std::string>& text)
                    -> Expected<std::optional<core::RunRecord>> {
                  if (!text) {
                    return std::optional<core::RunRecord>();
                  }
                  QA_TRY_ASSIGN(auto record, core::parse_record(*text, path));
                  return std::optional<core::RunRecord>(std::move(record));
                });
          }
        },
        threads, 16);
    for (auto& result : parsed) {
      if (!*result) {
        return tl::unexpected(std::move(*result).error());
      }
      records.push_back(std::move(**result));
    }
  }
  return records;
}

Expected<std::vector<core::RunRecord>> Store::list_runs(std::string_view project,
                                                        std::string_view commit,
                                                        const KeyFilter& want) {
  QA_TRY(core::check_commit_key(commit));
  QA_TRY_ASSIGN(auto packed, read_packs(project, commit));
  if (!packed.packs.empty() && packed.complete) {
    // The packs hold the whole commit: no listing, no single record.
    if (want) {
      std::erase_if(packed.runs, [&](const core::RunRecord& run) { return !want(run.key); });
    }
    return std::move(packed.runs);
  }
  const std::string folder = commit_folder(project, commit);
  QA_TRY_ASSIGN(const auto paths, m_backend->list_documents(folder));
  std::vector<std::string> wanted;
  for (const auto& rel : paths) {
    constexpr std::string_view k_suffix = "/run.json";
    if (rel.ends_with(k_suffix) &&
        (!want || want(std::string_view(rel).substr(0, rel.size() - k_suffix.size())))) {
      wanted.push_back(folder + "/" + rel);
    }
  }
  QA_TRY_ASSIGN(auto found, fetch_records(wanted));
  std::vector<core::RunRecord> records;
  for (auto& record : found) {
    if (record) {  // else removed since the listing
      records.push_back(std::move(*record));
    }
  }
  return records;
}

Expected<std::optional<BranchIndex>> Store::get_branch(std::string_view project,
                                                       std::string_view branch) {
  const std::string path = fmt::format("{}/branches/{}.json", project, core::make_slug(branch));
  QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
  if (!text) {
    return std::optional<BranchIndex>();
  }
  QA_TRY(util::check_json_depth(*text, path));
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  const auto invalid = [&](std::string_view why) {
    return fail("invalid branch index {} in store {}: {}", quote(path), quote(describe()), why);
  };
  if (!json.is_object()) {
    return invalid("not a JSON object");
  }
  if (!json.contains("commit") || !json["commit"].is_string()) {
    return invalid("no \"commit\" string");
  }
  if (auto valid = core::check_commit_key(json["commit"].get<std::string>()); !valid) {
    return invalid(valid.error().message);
  }
  BranchIndex index{std::string(branch), json["commit"].get<std::string>(),
                    json.value("updated_at", "")};
  if (json.contains("previous")) {
    const auto& previous = json["previous"];
    if (!previous.is_array()) {
      return invalid("\"previous\" is not an array");
    }
    for (const auto& commit : previous) {
      if (!commit.is_string() || !core::check_commit_key(commit.get<std::string>())) {
        return invalid("\"previous\" holds something else than commits");
      }
      if (index.previous.size() < k_branch_chain) {
        index.previous.push_back(commit.get<std::string>());
      }
    }
  }
  return std::optional<BranchIndex>(std::move(index));
}

Expected<void> Store::put_branch(std::string_view project, const BranchIndex& index) {
  QA_TRY(check_writable("branch index " + quote(index.branch)));
  QA_TRY(core::check_commit_key(index.commit));
  const std::string path =
      fmt::format("{}/branches/{}.json", project, core::make_slug(index.branch));
  for (const auto& previous : index.previous) {
    QA_TRY(core::check_commit_key(previous));
  }
  const nlohmann::json json{
      {"schema", k_branch_schema},
      {"branch", index.branch},
      {"commit", index.commit},
      {"updated_at", index.updated_at.empty() ? util::rfc3339(std::chrono::system_clock::now())
                                              : index.updated_at},
      {"previous", index.previous}};
  return m_backend->put_document(path, json.dump(2) + "\n");
}

Expected<fs::path> default_store_location() {
  if (const auto home = util::user_cache_home()) {
    return *home / "qatools";
  }
  return fail_as(ErrorKind::environment,
                 "cannot find the default store: neither XDG_CACHE_HOME nor HOME is set "
                 "(set QA_STORE or pass --store)");
}

}  // namespace qa::store
