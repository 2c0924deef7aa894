#include <qa/store/verify.hpp>

#include <map>
#include <set>

namespace qa::store {

Expected<VerifyResult> verify_store(Store& store, const VerifyOptions& options) {
  std::vector<CommitId> commits;
  if (options.commits) {
    commits = *options.commits;
  } else {
    QA_TRY_ASSIGN(const auto inventory, store.inventory());
    for (const auto& commit : inventory.commits) {
      commits.push_back(CommitId{commit.project, commit.commit});
    }
  }
  VerifyResult result;
  // Each blob once, with the first run that names it.
  std::map<util::Hash128, BadBlob> named;
  const auto name = [&](const util::Hash128& hash, const core::RunRecord& record,
                        const std::string& file) {
    named.try_emplace(
        hash, BadBlob{hash, BlobState::missing, record.project, record.commit, record.key, file});
  };
  for (const auto& id : commits) {
    QA_TRY_ASSIGN(auto scan, store.scan_commit(id.project, id.commit));
    ++result.commits;
    std::set<std::string_view> keys;  // a run single and packed counts once
    for (const auto& record : scan.records) {
      keys.insert(record.key);
    }
    result.records += keys.size();
    for (const auto& record : scan.records) {
      for (const auto& [file, entry] : record.files) {
        name(entry.hash, record, file);
      }
      if (record.log) {
        name(record.log->entry.hash, record, "log");
      }
    }
    for (auto& damaged : scan.damaged) {
      result.damaged.push_back(std::move(damaged));
    }
  }
  std::vector<util::Hash128> hashes;
  hashes.reserve(named.size());
  for (const auto& [hash, user] : named) {
    hashes.push_back(hash);
  }
  QA_TRY_ASSIGN(const auto states, store.check_blobs(hashes, options.jobs));
  result.blobs = hashes.size();
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (states[i] != BlobState::intact) {
      BadBlob bad = named.at(hashes[i]);
      bad.state = states[i];
      result.bad_blobs.push_back(std::move(bad));
    }
  }
  return result;
}

std::string describe(const BadBlob& bad) {
  return fmt::format("{} blob {}: named by {} of run {} at commit {} of {}",
                     bad.state == BlobState::corrupt ? "corrupt" : "missing", bad.hash.hex(),
                     quote(bad.file), quote(bad.key), bad.commit, quote(bad.project));
}

std::string describe(const DamagedDocument& damaged) {
  return fmt::format("damaged record {}: {}", quote(damaged.path), damaged.message);
}

}  // namespace qa::store
