// The maintenance operations of the Store (qa-store): listing the whole store, reading a commit's
// records one document at a time, removing commits and blobs, re-hashing blobs.

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include <qa/core/run_key.hpp>
#include <qa/store/pack.hpp>
#include <qa/store/store.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/parallel.hpp>
#include <qa/util/strings.hpp>

namespace qa::store {

namespace {

constexpr std::string_view k_record_suffix = "/run.json";

bool is_temporary(std::string_view path) {
  const auto slash = path.rfind('/');
  return path.substr(slash == std::string_view::npos ? 0 : slash + 1).starts_with(".tmp.");
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Where a document of the layout belongs.
struct Place {
  enum class Kind { record, pack, branch, milestone } kind;
  std::string project;
  std::string commit;  // for records and packs
};

// Return where the document at `path` (relative to the store's root) belongs, or nothing when it
// is outside the layout. The project may hold `/`: the first segment `commits` or `packs` that
// is followed by a commit folder (or `branches` by a file) ends it.
std::optional<Place> place_of(std::string_view path) {
  const std::vector<std::string> parts = util::split(path, '/');
  const auto project_before = [&](std::size_t i) {
    return util::join(
        std::vector<std::string>(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(i)),
        "/");
  };
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part == "branches" && i + 2 == parts.size() && parts[i + 1].ends_with(".json")) {
      return Place{Place::Kind::branch, project_before(i), ""};
    }
    if (part == "milestones" && i + 2 == parts.size() && parts[i + 1].ends_with(".json")) {
      return Place{Place::Kind::milestone, project_before(i), ""};
    }
    if ((part != "commits" && part != "packs") || i + 3 >= parts.size() ||
        parts[i + 1].size() != 2 || !is_hex(parts[i + 1]) ||
        !core::check_commit_key(parts[i + 1] + parts[i + 2])) {
      continue;
    }
    if (part == "commits" && !path.ends_with(k_record_suffix)) {
      return std::nullopt;
    }
    return Place{part == "commits" ? Place::Kind::record : Place::Kind::pack, project_before(i),
                 parts[i + 1] + parts[i + 2]};
  }
  return std::nullopt;
}

// Return the blob at `path` (relative to `cas/`), or nothing when it does not name one.
std::optional<util::Hash128> blob_of(std::string_view path) {
  if (path.size() != 33 || path[2] != '/') {
    return std::nullopt;
  }
  const std::string hex = std::string(path.substr(0, 2)) + std::string(path.substr(3));
  if (!is_hex(hex)) {
    return std::nullopt;
  }
  auto hash = util::Hash128::from_hex(hex);
  return hash ? std::optional<util::Hash128>(*hash) : std::nullopt;
}

}  // namespace

Expected<StoreInventory> Store::inventory() {
  QA_TRY_ASSIGN(const auto objects, m_backend->list_objects(""));
  StoreInventory inventory;
  std::map<std::pair<std::string, std::string>, StoredCommit> commits;
  for (const auto& object : objects) {
    if (is_temporary(object.path)) {
      continue;
    }
    if (object.path.starts_with("cas/")) {
      if (const auto hash = blob_of(std::string_view(object.path).substr(4))) {
        inventory.blobs.push_back(StoredBlob{*hash, object.size, object.modified});
      } else {
        inventory.others.push_back(object.path);
      }
      continue;
    }
    const auto place = place_of(object.path);
    if (!place) {
      inventory.others.push_back(object.path);
      continue;
    }
    if (place->kind == Place::Kind::branch) {
      inventory.branch_indexes.emplace_back(place->project, object.path);
      continue;
    }
    if (place->kind == Place::Kind::milestone) {
      inventory.milestones.emplace_back(place->project, object.path);
      continue;
    }
    auto& commit = commits[{place->project, place->commit}];
    commit.project = place->project;
    commit.commit = place->commit;
    commit.modified = std::max(commit.modified, object.modified);
    commit.bytes += object.size;
    ++(place->kind == Place::Kind::record ? commit.records : commit.packs);
  }
  for (auto& [id, commit] : commits) {
    inventory.commits.push_back(std::move(commit));
  }
  std::sort(inventory.blobs.begin(), inventory.blobs.end(),
            [](const StoredBlob& a, const StoredBlob& b) { return a.hash < b.hash; });
  return inventory;
}

Expected<std::vector<StoredBlob>> Store::list_blobs() {
  QA_TRY_ASSIGN(const auto objects, m_backend->list_objects("cas"));
  std::vector<StoredBlob> blobs;
  for (const auto& object : objects) {
    if (const auto hash = blob_of(object.path)) {
      blobs.push_back(StoredBlob{*hash, object.size, object.modified});
    }
  }
  std::sort(blobs.begin(), blobs.end(),
            [](const StoredBlob& a, const StoredBlob& b) { return a.hash < b.hash; });
  return blobs;
}

Expected<std::vector<BranchIndex>> Store::list_branches(std::string_view project) {
  const std::string folder = fmt::format("{}/branches", project);
  QA_TRY_ASSIGN(const auto names, m_backend->list_documents(folder));
  std::vector<BranchIndex> branches;
  for (const auto& name : names) {
    if (!name.ends_with(".json") || name.find('/') != std::string::npos || is_temporary(name)) {
      continue;
    }
    const std::string path = folder + "/" + name;
    QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
    if (!text) {
      continue;  // removed since the listing
    }
    QA_TRY(util::check_json_depth(*text, path));
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_object() || !json.contains("branch") || !json["branch"].is_string()) {
      return fail("invalid branch index {} in store {}: no \"branch\" string", quote(path),
                  quote(describe()));
    }
    // get_branch() reads it again and checks the rest.
    QA_TRY_ASSIGN(auto index, get_branch(project, json["branch"].get<std::string>()));
    if (!index) {
      return fail("invalid branch index {} in store {}: its branch {} is stored elsewhere",
                  quote(path), quote(describe()), quote(json["branch"].get<std::string>()));
    }
    branches.push_back(std::move(*index));
  }
  return branches;
}

Expected<CommitScan> Store::scan_commit(std::string_view project, std::string_view commit) {
  QA_TRY(core::check_commit_key(commit));
  const std::string folder = commit_folder(project, commit);
  QA_TRY_ASSIGN(const auto objects, m_backend->list_objects(folder));
  std::vector<std::string> keys;
  for (const auto& object : objects) {
    if (object.path.ends_with(k_record_suffix) && !is_temporary(object.path)) {
      keys.push_back(object.path.substr(0, object.path.size() - k_record_suffix.size()));
    }
  }
  // Each record on its own: one bad document must not hide the others. A document that cannot
  // be read is the store's trouble, an error; one that cannot be parsed is damaged.
  struct Read {
    std::optional<Expected<std::optional<std::string>>> text;
    std::optional<Expected<core::RunRecord>> record;
  };
  std::vector<Read> read(keys.size());
  util::parallel_for(
      keys.size(),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const std::string path = record_path(project, commit, keys[i]);
          read[i].text = m_backend->get_document(path);
          if (!*read[i].text || !**read[i].text) {
            continue;
          }
          read[i].record =
              core::parse_record(***read[i].text, path)
                  .and_then([&](core::RunRecord record) -> Expected<core::RunRecord> {
                    if (record.key != keys[i] || record.commit != commit ||
                        record.project != project) {
                      return fail("invalid run record {}: it holds the run {} of commit {} of {}",
                                  quote(path), quote(record.key), record.commit.substr(0, 12),
                                  quote(record.project));
                    }
                    return record;
                  });
        }
      },
      std::max<std::size_t>(8, std::thread::hardware_concurrency()), 16);
  CommitScan scan;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!*read[i].text) {
      return tl::unexpected(std::move(*read[i].text).error());
    }
    if (!read[i].record) {
      continue;  // removed since the listing
    }
    if (*read[i].record) {
      scan.records.push_back(std::move(**read[i].record));
    } else {
      scan.damaged.push_back(
          DamagedDocument{record_path(project, commit, keys[i]), read[i].record->error().message});
    }
  }
  // Then each pack on its own (the pack index names packs, it holds no record).
  const std::string packs = pack_folder(project, commit);
  QA_TRY_ASSIGN(const auto packed, m_backend->list_objects(packs));
  for (const auto& object : packed) {
    if (object.path.find('/') != std::string::npos || !is_pack_name(object.path)) {
      continue;
    }
    const std::string path = packs + "/" + object.path;
    QA_TRY_ASSIGN(const auto bytes, m_backend->get_document(path));
    if (!bytes) {
      continue;  // replaced since the listing
    }
    auto pack = decode_pack(*bytes, path);
    if (!pack) {
      scan.damaged.push_back(DamagedDocument{path, std::move(pack).error().message});
      continue;
    }
    for (auto& record : pack->records) {
      scan.records.push_back(std::move(record));
    }
  }
  std::stable_sort(
      scan.records.begin(), scan.records.end(),
      [](const core::RunRecord& a, const core::RunRecord& b) { return a.key < b.key; });
  return scan;
}

Expected<Removed> Store::remove_commit(std::string_view project, std::string_view commit) {
  QA_TRY(core::check_commit_key(commit));
  QA_TRY(check_writable(fmt::format("the removal of commit {}", commit.substr(0, 12))));
  Removed removed;
  const auto remove_all = [&](const std::string& folder, std::string_view last) -> Expected<void> {
    QA_TRY_ASSIGN(auto objects, m_backend->list_objects(folder));
    // `last` (the pack index) goes after what it names.
    std::stable_partition(objects.begin(), objects.end(),
                          [&](const ObjectInfo& object) { return object.path != last; });
    for (const auto& object : objects) {
      QA_TRY(m_backend->remove_object(folder + "/" + object.path));
      ++removed.objects;
      removed.bytes += object.size;
    }
    return {};
  };
  QA_TRY(remove_all(pack_folder(project, commit), "index.json"));
  QA_TRY(remove_all(commit_folder(project, commit), ""));
  return removed;
}

Expected<void> Store::remove_blob(const util::Hash128& hash) {
  QA_TRY(check_writable("the removal of blob " + hash.hex()));
  return m_backend->remove_object(blob_rel_path(hash));
}

Expected<std::vector<BlobState>> Store::check_blobs(const std::vector<util::Hash128>& hashes,
                                                    std::size_t jobs) {
  // `jobs` slices checked at once, each by the backend's batch check (itself parallel remotely).
  std::vector<BlobState> states(hashes.size(), BlobState::missing);
  std::mutex mutex;
  std::optional<Error> error;
  util::parallel_for(
      hashes.size(),
      [&](std::size_t begin, std::size_t end) {
        auto slice = m_backend->check_blobs(
            std::vector<util::Hash128>(hashes.begin() + static_cast<std::ptrdiff_t>(begin),
                                       hashes.begin() + static_cast<std::ptrdiff_t>(end)));
        if (slice) {
          std::copy(slice->begin(), slice->end(),
                    states.begin() + static_cast<std::ptrdiff_t>(begin));
          return;
        }
        const std::lock_guard lock(mutex);
        if (!error) {
          error = std::move(slice).error();
        }
      },
      std::max<std::size_t>(1, jobs), 1);
  if (error) {
    return tl::unexpected(std::move(*error));
  }
  return states;
}

}  // namespace qa::store
