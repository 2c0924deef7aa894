// The Store's packs (store/pack.hpp): writing a batch's pack, reading a commit's packs.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <numeric>
#include <set>
#include <thread>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/store/pack.hpp>
#include <qa/store/store.hpp>
#include <qa/util/log.hpp>
#include <qa/util/parallel.hpp>
#include <qa/util/permute.hpp>

namespace qa::store {

namespace {

constexpr std::string_view k_index_name = "index.json";
constexpr int k_index_attempts = 5;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Whether the record `candidate` (from a pack written at `candidate_ns`) replaces `current`
// (from one written at `current_ns`): the run that started last, then the pack written last.
bool supersedes(const core::RunRecord& candidate, std::int64_t candidate_ns,
                const core::RunRecord& current, std::int64_t current_ns) {
  if (candidate.started_at != current.started_at) {
    return candidate.started_at > current.started_at;  // RFC 3339 in UTC sorts as text
  }
  return candidate_ns >= current_ns;
}

// Sort `runs` by key and keep, of the runs of one key, the one that supersedes the others
// (`written[i]`: when the pack of `runs[i]` was written; runs of one key are taken in the order
// given). Records move in place (util::apply_permutation), and not at all when they are sorted
// already (a single pack, or packs of key ranges).
void keep_latest_by_key(std::vector<core::RunRecord>& runs, std::vector<std::int64_t>& written) {
  const std::size_t count = runs.size();
  const auto key_less = [](const core::RunRecord& a, const core::RunRecord& b) {
    return a.key < b.key;
  };
  if (!std::is_sorted(runs.begin(), runs.end(), key_less)) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key_less(runs[a], runs[b]); });
    util::apply_permutation(runs, order);
    util::apply_permutation(written, order);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (kept > 0 && runs[kept - 1].key == runs[i].key) {
      if (supersedes(runs[i], written[i], runs[kept - 1], written[kept - 1])) {
        runs[kept - 1] = std::move(runs[i]);
        written[kept - 1] = written[i];
      }
      continue;
    }
    if (kept != i) {
      runs[kept] = std::move(runs[i]);
      written[kept] = written[i];
    }
    ++kept;
  }
  runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(kept), runs.end());
  written.resize(kept);
}

}  // namespace

Expected<std::vector<std::string>> Store::pack_names(std::string_view project,
                                                     std::string_view commit) {
  const std::string folder = pack_folder(project, commit);
  std::set<std::string> names;
  const std::string index_path = folder + "/" + std::string(k_index_name);
  QA_TRY_ASSIGN(const auto index, m_backend->get_document(index_path));
  if (index) {
    if (auto listed = decode_pack_index(*index, index_path)) {
      names.insert(listed->begin(), listed->end());
    } else {
      util::log::warning("{}", listed.error().message);
    }
  }
  // The index may have lost a name to a concurrent writer: a listing, where the backend can
  // list, finds every pack. A backend that cannot list (a plain http server) has the index.
  if (auto listed = m_backend->list_documents(folder)) {
    for (const auto& rel : *listed) {
      if (is_pack_name(rel)) {
        names.insert(rel);
      }
    }
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Expected<bool> Store::has_packs(std::string_view project, std::string_view commit) {
  QA_TRY(core::check_commit_key(commit));
  QA_TRY_ASSIGN(const auto names, pack_names(project, commit));
  return !names.empty();
}

Expected<Store::PackedRuns> Store::read_packs(std::string_view project, std::string_view commit) {
  PackedRuns packed;
  QA_TRY_ASSIGN(packed.packs, pack_names(project, commit));
  if (packed.packs.empty()) {
    return packed;
  }
  const std::string folder = pack_folder(project, commit);
  std::vector<std::optional<Expected<std::optional<Pack>>>> read(packed.packs.size());
  util::parallel_for(
      read.size(),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const std::string path = folder + "/" + packed.packs[i];
          read[i] = m_backend->get_document(path).and_then(
              [&](const std::optional<std::string>& bytes) -> Expected<std::optional<Pack>> {
                if (!bytes) {
                  return std::optional<Pack>();  // named by the index, since replaced or removed
                }
                QA_TRY_ASSIGN(auto pack, decode_pack(*bytes, path));
                if (pack.project != project || pack.commit != commit) {
                  return fail("invalid pack {}: it holds commit {} of {}", quote(path),
                              pack.commit.substr(0, 12), quote(pack.project));
                }
                return std::optional<Pack>(std::move(pack));
              });
        }
      },
      std::max<std::size_t>(8, std::thread::hardware_concurrency()), 1);
  // The runs of every pack in the order of the packs, then sorted by key, the latest of each.
  // Each pack's records move into `packed.runs` (the only pack's vector itself when one holds
  // them all) and the pack is released at once: no record is held twice.
  std::size_t total = 0;
  for (const auto& result : read) {
    if (*result && **result) {
      total += (***result).records.size();
    }
  }
  std::vector<std::int64_t> written;
  written.reserve(total);
  for (auto& result : read) {
    if (!*result) {
      // The single records are still there: a damaged pack costs speed, not results.
      util::log::warning("{}; reading single records instead", result->error().message);
      packed.complete = false;
      continue;
    }
    if (!**result) {
      continue;
    }
    Pack& pack = ***result;
    written.insert(written.end(), pack.records.size(), pack.written_ns);
    if (packed.runs.empty() && pack.records.size() == total) {
      packed.runs = std::move(pack.records);
    } else {
      packed.runs.reserve(total);
      std::move(pack.records.begin(), pack.records.end(), std::back_inserter(packed.runs));
    }
    std::vector<core::RunRecord>().swap(pack.records);
  }
  keep_latest_by_key(packed.runs, written);
  return packed;
}

core::RunRecord* Store::PackedRuns::find(std::string_view key) {
  const auto found =
      std::lower_bound(runs.begin(), runs.end(), key,
                       [](const core::RunRecord& run, std::string_view k) { return run.key < k; });
  return found != runs.end() && found->key == key ? &*found : nullptr;
}

Expected<void> Store::put_pack(std::string_view project, std::string_view commit,
                               const std::vector<std::string>& keys,
                               std::vector<core::RunRecord> records) {
  QA_TRY(check_writable("a pack of commit " + std::string(commit.substr(0, 12))));
  QA_TRY(core::check_project_name(project));
  QA_TRY(core::check_commit_key(commit));
  if (records.empty()) {
    return {};
  }
  for (const auto& record : records) {
    if (record.project != project || record.commit != commit) {
      return fail("cannot pack the run {} of commit {} of {} with commit {} of {}",
                  quote(record.key), record.commit.substr(0, 12), quote(record.project),
                  commit.substr(0, 12), quote(project));
    }
  }
  QA_TRY_ASSIGN(const auto existing, pack_names(project, commit));
  if (existing.empty()) {
    // The first pack of the commit takes the single records written before it (by qa-run, or
    // an earlier batch), so that the packs hold every run of the commit.
    const std::string folder = commit_folder(project, commit);
    if (auto listed = m_backend->list_documents(folder)) {
      std::set<std::string_view> packed;
      for (const auto& record : records) {
        packed.insert(record.key);
      }
      std::vector<std::string> paths;
      std::vector<std::string> others;
      for (const auto& rel : *listed) {
        constexpr std::string_view k_suffix = "/run.json";
        if (rel.ends_with(k_suffix)) {
          std::string key = rel.substr(0, rel.size() - k_suffix.size());
          if (!packed.contains(key)) {
            paths.push_back(folder + "/" + rel);
            others.push_back(std::move(key));
          }
        }
      }
      QA_TRY_ASSIGN(auto found, fetch_records(paths));
      for (std::size_t i = 0; i < found.size(); ++i) {
        if (found[i] && found[i]->key == others[i] && found[i]->commit == commit &&
            found[i]->project == project) {
          records.push_back(std::move(*found[i]));
        }
      }
    }
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  // Every blob a record names is stored, or the pack is refused as a whole.
  std::vector<util::Hash128> hashes;
  std::vector<const core::RunRecord*> users;
  std::set<util::Hash128> seen;
  for (const auto& record : records) {
    for (const auto& [rel, entry] : record.files) {
      if (seen.insert(entry.hash).second) {
        hashes.push_back(entry.hash);
        users.push_back(&record);
      }
    }
    if (record.log && seen.insert(record.log->entry.hash).second) {
      hashes.push_back(record.log->entry.hash);
      users.push_back(&record);
    }
  }
  QA_TRY_ASSIGN(const auto present, m_backend->has_blobs(hashes));
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (!present[i]) {
      return fail(
          "cannot write the pack of commit {}: blob {} of the run {} is missing from "
          "store {}",
          commit.substr(0, 12), hashes[i].hex(), quote(users[i]->key), quote(describe()));
    }
  }
  const std::string name = pack_name(keys);
  const Pack pack{std::string(project), std::string(commit), now_ns(), std::move(records)};
  QA_TRY(m_backend->put_document(pack_folder(project, commit) + "/" + name, encode_pack(pack)));
  return add_to_pack_index(project, commit, name);
}

Expected<std::size_t> Store::pack_commit(std::string_view project, std::string_view commit) {
  QA_TRY(check_writable("a pack of commit " + std::string(commit.substr(0, 12))));
  QA_TRY(core::check_project_name(project));
  QA_TRY(core::check_commit_key(commit));
  QA_TRY_ASSIGN(auto packed, read_packs(project, commit));
  const std::string folder = commit_folder(project, commit);
  auto listed = m_backend->list_documents(folder);
  if (!listed) {
    return with_context(fmt::format("cannot pack commit {}", commit.substr(0, 12)),
                        std::move(listed).error());
  }
  std::vector<std::string> paths;
  std::vector<std::string> keys;
  for (const auto& rel : *listed) {
    constexpr std::string_view k_suffix = "/run.json";
    if (rel.ends_with(k_suffix)) {
      keys.push_back(rel.substr(0, rel.size() - k_suffix.size()));
      paths.push_back(folder + "/" + rel);
    }
  }
  QA_TRY_ASSIGN(auto loose, fetch_records(paths));
  std::vector<core::RunRecord> unpacked;  // single records of runs no pack holds
  for (std::size_t i = 0; i < loose.size(); ++i) {
    if (!loose[i]) {
      continue;  // removed since the listing
    }
    QA_TRY(check_stored_under(*loose[i], project, commit, keys[i], paths[i]));
    if (auto* found = packed.find(keys[i]); found == nullptr) {
      unpacked.push_back(std::move(*loose[i]));
    } else if (loose[i]->started_at >= found->started_at) {
      *found = std::move(*loose[i]);  // a single record rewritten since it was packed
    }
  }
  std::vector<core::RunRecord> records = std::move(packed.runs);
  std::move(unpacked.begin(), unpacked.end(), std::back_inserter(records));
  std::vector<std::int64_t> same_time(records.size(), 0);
  keep_latest_by_key(records, same_time);
  std::vector<std::string> all_keys;
  all_keys.reserve(records.size());
  for (const auto& record : records) {
    all_keys.push_back(record.key);
  }
  const std::size_t count = records.size();
  if (count == 0) {
    return count;
  }
  const std::string name = pack_name(all_keys);
  QA_TRY(put_pack(project, commit, all_keys, std::move(records)));
  // The packs it replaces go; the index then names the new one alone (a pack a batch writes
  // meanwhile is still found by listing).
  const std::string pack_dir = pack_folder(project, commit);
  for (const auto& old : packed.packs) {
    if (old != name) {
      QA_TRY(m_backend->remove_object(pack_dir + "/" + old));
    }
  }
  QA_TRY(m_backend->put_document(pack_dir + "/" + std::string(k_index_name),
                                 encode_pack_index({name})));
  return count;
}

Expected<void> Store::add_to_pack_index(std::string_view project, std::string_view commit,
                                        const std::string& name) {
  const std::string path = pack_folder(project, commit) + "/" + std::string(k_index_name);
  const auto read_index = [&]() -> Expected<std::vector<std::string>> {
    QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
    if (!text) {
      return std::vector<std::string>();
    }
    auto names = decode_pack_index(*text, path);
    return names ? std::move(*names) : std::vector<std::string>();  // a damaged index is rewritten
  };
  for (int attempt = 0; attempt < k_index_attempts; ++attempt) {
    QA_TRY_ASSIGN(auto names, read_index());
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return {};
    }
    names.push_back(name);
    std::sort(names.begin(), names.end());
    QA_TRY(m_backend->put_document(path, encode_pack_index(names)));
    // Another writer may have replaced the index between the read and the write: read it back.
    QA_TRY_ASSIGN(const auto written, read_index());
    if (std::find(written.begin(), written.end(), name) != written.end()) {
      return {};
    }
  }
  util::log::warning("the pack index {} does not name {}: readers find it by listing", quote(path),
                     name);
  return {};
}

}  // namespace qa::store
