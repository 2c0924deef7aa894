#include <qa/store/stats.hpp>

#include <map>
#include <set>

namespace qa::store {

double StoreStats::dedup_ratio() const {
  return stored_bytes == 0 ? 0.0
                           : static_cast<double>(named_bytes) / static_cast<double>(stored_bytes);
}

Expected<StoreStats> store_stats(Store& store) {
  QA_TRY_ASSIGN(const auto inventory, store.inventory());
  StoreStats stats;
  std::set<std::string> projects;
  for (const auto& commit : inventory.commits) {
    projects.insert(commit.project);
    stats.record_bytes += commit.bytes;
    QA_TRY_ASSIGN(const auto scan, store.scan_commit(commit.project, commit.commit));
    stats.damaged += scan.damaged.size();
    // A run both in a pack and single counts once: its latest version (packs come after).
    std::map<std::string, const core::RunRecord*> runs;
    for (const auto& record : scan.records) {
      runs[record.key] = &record;
    }
    stats.records += runs.size();
    for (const auto& [key, record] : runs) {
      for (const auto& [file, entry] : record->files) {
        stats.named_bytes += entry.size;
      }
      if (record->log) {
        stats.named_bytes += record->log->entry.size;
      }
    }
  }
  stats.projects = projects.size();
  stats.commits = inventory.commits.size();
  stats.blobs = inventory.blobs.size();
  for (const auto& blob : inventory.blobs) {
    stats.stored_bytes += blob.size;
  }
  return stats;
}

nlohmann::json to_json(const StoreStats& stats) {
  return nlohmann::json{{"projects", stats.projects},         {"commits", stats.commits},
                        {"records", stats.records},           {"damaged_records", stats.damaged},
                        {"record_bytes", stats.record_bytes}, {"blobs", stats.blobs},
                        {"stored_bytes", stats.stored_bytes}, {"named_bytes", stats.named_bytes},
                        {"dedup_ratio", stats.dedup_ratio()}};
}

}  // namespace qa::store
