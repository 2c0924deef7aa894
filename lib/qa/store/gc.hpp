#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// `qa-store gc`: remove the records of the commits nothing keeps, then the blobs no remaining
// record names.

enum class DryRun { no, yes };

struct GcOptions {
  std::chrono::seconds keep_age = std::chrono::hours(24 * 30);  // --keep-days
  std::chrono::seconds grace = std::chrono::hours(24);          // --grace
  std::vector<CommitId> keep;                                   // --keep, resolved
  DryRun dry_run = DryRun::no;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// Why a commit stays.
enum class KeptBy { branch, milestone, keep, age };

struct GcResult {
  std::vector<std::pair<StoredCommit, KeptBy>> kept_commits;
  std::vector<StoredCommit> removed_commits;
  Removed removed_records;  // the documents of the removed commits
  std::size_t kept_blobs = 0;
  std::vector<StoredBlob> removed_blobs;
  std::uint64_t removed_blob_bytes = 0;
};

// Collect the garbage of `store`, in this order:
// 1. keep every commit that a branch index or a milestone of its project names, that
//    `options.keep` names, or whose newest document was written within `options.keep_age` or
//    `options.grace` of `options.now`; remove every document (records and packs) of the other
//    commits;
// 2. list the store again and read every record left, each document on its own;
// 3. remove every blob that no record names and that was written (or, where the backend can
//    say so, reused: Backend::touch_blob) before `options.now` minus `options.grace`, so that a
//    batch writing now (blobs first, then records) loses nothing.
// With DryRun::yes nothing is removed: the result says what would be, the records named being
// those of the kept commits. A record that cannot be read (its blobs are unknown) stops step 3
// with an error of kind check_failed naming it: no blob is removed then.
[[nodiscard]] Expected<GcResult> collect_garbage(Store& store, const GcOptions& options);

}  // namespace qa::store
