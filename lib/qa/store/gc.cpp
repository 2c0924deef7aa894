#include <qa/store/gc.hpp>

#include <algorithm>
#include <set>

#include <qa/util/log.hpp>

namespace qa::store {

namespace {

// The blobs that the records of `commits` name; a damaged record fails naming it.
Expected<std::set<util::Hash128>> named_blobs(Store& store, const std::vector<CommitId>& commits) {
  std::set<util::Hash128> named;
  for (const auto& id : commits) {
    QA_TRY_ASSIGN(const auto scan, store.scan_commit(id.project, id.commit));
    if (!scan.damaged.empty()) {
      return fail_as(ErrorKind::check_failed,
                     "cannot tell which blobs are in use: record {} cannot be read ({}); "
                     "remove or repair it (qa-store verify lists every one), no blob was removed",
                     quote(scan.damaged.front().path), scan.damaged.front().message);
    }
    for (const auto& record : scan.records) {
      for (const auto& [file, entry] : record.files) {
        named.insert(entry.hash);
      }
      if (record.log) {
        named.insert(record.log->entry.hash);
      }
    }
  }
  return named;
}

}  // namespace

Expected<GcResult> collect_garbage(Store& store, const GcOptions& options) {
  QA_TRY_ASSIGN(const auto before, store.inventory());

  // 1. The commits to keep, and the records of the others.
  std::set<CommitId> heads;
  std::set<std::string> projects;
  for (const auto& [project, path] : before.branch_indexes) {
    if (projects.insert(project).second) {
      QA_TRY_ASSIGN(const auto branches, store.list_branches(project));
      for (const auto& branch : branches) {
        heads.insert(CommitId{project, branch.commit});
      }
    }
  }
  std::set<CommitId> milestones;
  std::set<std::string> milestone_projects;
  for (const auto& [project, path] : before.milestones) {
    if (milestone_projects.insert(project).second) {
      QA_TRY_ASSIGN(const auto named, store.list_milestones(project));
      for (const auto& milestone : named) {
        milestones.insert(CommitId{project, milestone.commit});
      }
    }
  }
  const std::set<CommitId> keep(options.keep.begin(), options.keep.end());
  const auto young_since = options.now - std::max(options.keep_age, options.grace);
  GcResult result;
  std::vector<CommitId> kept;
  for (const auto& commit : before.commits) {
    const CommitId id{commit.project, commit.commit};
    std::optional<KeptBy> by;
    if (heads.contains(id)) {
      by = KeptBy::branch;
    } else if (milestones.contains(id)) {
      by = KeptBy::milestone;
    } else if (keep.contains(id)) {
      by = KeptBy::keep;
    } else if (commit.modified >= young_since) {
      by = KeptBy::age;
    }
    if (by) {
      result.kept_commits.emplace_back(commit, *by);
      kept.push_back(id);
      continue;
    }
    result.removed_commits.push_back(commit);
    if (options.dry_run == DryRun::yes) {
      result.removed_records.objects += commit.records + commit.packs;
      result.removed_records.bytes += commit.bytes;
    } else {
      QA_TRY_ASSIGN(const auto removed, store.remove_commit(commit.project, commit.commit));
      util::log::debug("removed commit {} of {}: {} documents", commit.commit,
                       quote(commit.project), removed.objects);
      result.removed_records.objects += removed.objects;
      result.removed_records.bytes += removed.bytes;
    }
  }

  // 2. The blobs that the records left name, read after the removal: a commit written since the
  // first listing counts too.
  std::vector<StoredBlob> blobs = before.blobs;
  if (options.dry_run == DryRun::no) {
    QA_TRY_ASSIGN(const auto after, store.inventory());
    kept.clear();
    for (const auto& commit : after.commits) {
      kept.push_back(CommitId{commit.project, commit.commit});
    }
    blobs = after.blobs;
  }
  QA_TRY_ASSIGN(const auto named, named_blobs(store, kept));

  // 3. The blobs nothing names, older than the grace period.
  const auto old_before = options.now - options.grace;
  for (const auto& blob : blobs) {
    if (named.contains(blob.hash) || blob.modified >= old_before) {
      ++result.kept_blobs;
      continue;
    }
    if (options.dry_run == DryRun::no) {
      QA_TRY(store.remove_blob(blob.hash));
    }
    result.removed_blobs.push_back(blob);
    result.removed_blob_bytes += blob.size;
  }
  return result;
}

}  // namespace qa::store
