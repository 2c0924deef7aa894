#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/store/backend.hpp>
#include <qa/store/scheme.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// The store layout (version 1), the same in every backend:
//
//   cas/<h[0:2]>/<h[2:]>                                          blobs by xxh128, read-only
//   <project>/commits/<commit[0:2]>/<commit[2:]>/<key>/run.json   run records (qa.run/1)
//   <project>/branches/<branch-slug>.json                         branch index (below)
//
// The branch index, schema `qa.branch/1`:
//   {"schema": "qa.branch/1", "branch": "main", "commit": "<sha>", "updated_at": "<RFC 3339>",
//    "previous": ["<sha>", ...]}
// `previous` (optional: indexes written before it have none) holds the commits the index named
// before `commit`, newest first, at most k_branch_chain of them: the chain `qa-report --history`
// follows where git cannot (a shallow clone).
//
// A record is written only after every blob it names (outputs and log) is stored, so a reader
// never finds a record whose files are missing.
//
// Packs (store/pack.hpp) hold a commit's records again, a batch's in one document: readers take
// a run from the packs first, and read single records only for the runs no pack holds.

// The latest commit of a branch whose whole batch succeeded.
struct BranchIndex {
  std::string branch;
  std::string commit;
  std::string updated_at;
  std::vector<std::string> previous = {};  // the commits indexed before, newest first
};

// How many earlier commits a branch index keeps in `previous`.
inline constexpr std::size_t k_branch_chain = 1000;

// A milestone: a commit of a project named on purpose (`qa-store tag NAME COMMIT`, QA-Board's
// milestones), a reference that does not move (`--reference NAME`) and that gc keeps. Stored at
// `<project>/milestones/<name>.json` as
//   {"schema": "qa.milestone/1", "name": "v1.0", "commit": "<40 hex>", "created_at": "<RFC 3339>"}
// Names are 1 to 100 of `A-Z a-z 0-9 . _ -`, not starting with `.` or `-`.
struct Milestone {
  std::string name;
  std::string commit;
  std::string created_at;
};

// Check that `name` is a valid milestone name (see Milestone); the error names it.
[[nodiscard]] Expected<void> check_milestone_name(std::string_view name);

// The run the cache key of a project last named (runner/run_cache.hpp): an ok run whose
// outputs a run of the same cache key may reuse. Stored at
// `<project>/cache/<key[0:2]>/<key[2:]>.json` as
//   {"schema": "qa.cache-entry/1", "commit": "<40 hex>", "key": "<run key>",
//    "written_at": "<RFC 3339>"}
struct CacheEntry {
  std::string commit;
  std::string key;
};

// Maintenance (qa-store; the methods of the block "Maintenance" of Store, in store_admin.cpp).

// A commit of a project.
struct CommitId {
  std::string project;
  std::string commit;
  friend auto operator<=>(const CommitId&, const CommitId&) = default;
};

// A commit of a project as a listing of the store finds it: its records and its packs.
struct StoredCommit {
  std::string project;
  std::string commit;
  std::chrono::system_clock::time_point modified;  // the newest of its documents
  std::size_t records = 0;                         // record documents (run.json)
  std::size_t packs = 0;                           // documents of its pack folder
  std::uint64_t bytes = 0;                         // of all these documents
};

// A blob as a listing of the store finds it.
struct StoredBlob {
  util::Hash128 hash;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

// What one listing of the whole store finds, each list sorted.
struct StoreInventory {
  std::vector<StoredCommit> commits;                                // by project, then commit
  std::vector<StoredBlob> blobs;                                    // by hash
  std::vector<std::pair<std::string, std::string>> branch_indexes;  // project, document path
  std::vector<std::pair<std::string, std::string>> milestones;      // project, document path
  std::vector<std::string> others;  // objects outside the layout (temporary files excepted)
};

// A document of a commit that cannot be read as records, and why.
struct DamagedDocument {
  std::string path;
  std::string message;
};

// Every record a commit's documents hold, each document read on its own.
struct CommitScan {
  std::vector<core::RunRecord> records;  // by key; a key may appear again (a pack's version)
  std::vector<DamagedDocument> damaged;
};

// What a removal took away.
struct Removed {
  std::size_t objects = 0;
  std::uint64_t bytes = 0;
};

// A store: typed operations over one backend, chosen by the location's URL scheme. Callers
// reach the backend only through these methods.
class Store {
 public:
  // Open the store at `location`: a folder path (or `file://` URL) for the local backend,
  // `memory://` for an in-memory one, `http(s)://` for the http backend once registered (see
  // store/scheme.hpp). With Access::read_only nothing is created and every write is refused.
  // Messages never show the userinfo of a URL.
  [[nodiscard]] static Expected<Store> open(std::string_view location,
                                            Access access = Access::read_write);
  explicit Store(std::unique_ptr<Backend> backend, Access access = Access::read_write);

  [[nodiscard]] std::string describe() const { return m_backend->describe(); }

  // Write the blob `hash` to `destination` after checking its content (see Backend::get_blob).
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const std::filesystem::path& destination);
  // Fetch every blob of `downloads`, in parallel where the backend can; the first failure is
  // returned.
  [[nodiscard]] Expected<void> get_blobs(const std::vector<BlobDownload>& downloads);

  // Store the outputs of `record` (the files of `record.files` under `output_dir`, and the log),
  // then the record itself.
  [[nodiscard]] Expected<void> put_run(const core::RunRecord& record,
                                       const std::filesystem::path& output_dir);

  // Choose when the records written from now on reach the disk (see DocumentSync): qa-batch
  // writes its records with on_flush and calls flush() once at the end of the batch.
  void set_document_sync(DocumentSync sync) { m_backend->set_document_sync(sync); }
  // Make what was written so far durable; fail naming the store when it cannot.
  [[nodiscard]] Expected<void> flush() { return m_backend->flush(); }

  // Whether `commit` of `project` has a single record (the document a run writes, packed or not)
  // of `key`: one small read, no pack decoded. A run found only in a pack answers false.
  [[nodiscard]] Expected<bool> has_single_run(std::string_view project, std::string_view commit,
                                              std::string_view key);
  // Return the single record of `key` at `commit` of `project` (see has_single_run), or
  // nothing when there is none: one small read, no pack decoded.
  [[nodiscard]] Expected<std::optional<core::RunRecord>> get_single_run(std::string_view project,
                                                                        std::string_view commit,
                                                                        std::string_view key);
  // Return the record of `key` at `commit` of `project`, or nothing when there is none.
  [[nodiscard]] Expected<std::optional<core::RunRecord>> get_run(std::string_view project,
                                                                 std::string_view commit,
                                                                 std::string_view key);

  // Return the records of `keys` at `commit` of `project`, in the order of `keys` (nothing for a
  // key without record), fetched in parallel.
  [[nodiscard]] Expected<std::vector<std::optional<core::RunRecord>>> get_runs(
      std::string_view project, std::string_view commit, const std::vector<std::string>& keys);

  // Return every record of `commit` of `project`, sorted by key; with `want`, only those whose
  // key it accepts (the others are not even read).
  using KeyFilter = std::function<bool(std::string_view key)>;
  [[nodiscard]] Expected<std::vector<core::RunRecord>> list_runs(std::string_view project,
                                                                 std::string_view commit,
                                                                 const KeyFilter& want = {});

  // Write the pack of a batch asked to run `keys` at `commit` of `project`, holding `records`
  // (the records it ran or found; an empty pack is not written). Every blob the records name
  // must be stored: otherwise nothing is written and the error names the blob and a run. The
  // first pack of a commit also takes the single records already stored there that `records`
  // does not hold, where the backend can list them, so that the packs hold the whole commit.
  [[nodiscard]] Expected<void> put_pack(std::string_view project, std::string_view commit,
                                        const std::vector<std::string>& keys,
                                        std::vector<core::RunRecord> records);
  // Pack every run of `commit` of `project` (`qa-store pack`): its single records (listed: the
  // backend must list) and its packs' runs, the latest record of each, into one pack, then
  // remove the packs it replaces. Return how many runs the pack holds.
  [[nodiscard]] Expected<std::size_t> pack_commit(std::string_view project,
                                                  std::string_view commit);
  // Return whether `commit` of `project` has packs.
  [[nodiscard]] Expected<bool> has_packs(std::string_view project, std::string_view commit);

  // ---- Milestones (store/store_milestones.cpp) ----
  // Return the milestone `name` of `project`, or nothing when there is none.
  [[nodiscard]] Expected<std::optional<Milestone>> get_milestone(std::string_view project,
                                                                 std::string_view name);
  // Name `milestone.commit` `milestone.name` in `project` (a milestone of that name moves).
  [[nodiscard]] Expected<void> put_milestone(std::string_view project, const Milestone& milestone);
  // Return the milestones of `project`, by name; one that cannot be read is an error naming it.
  [[nodiscard]] Expected<std::vector<Milestone>> list_milestones(std::string_view project);

  // ---- Run cache (store/store_cache.cpp) ----
  // Return the entry of `cache_key` (32 hex) of `project`, or nothing when there is none (or it
  // cannot be read: a warning; the run then runs).
  [[nodiscard]] Expected<std::optional<CacheEntry>> get_cache_entry(std::string_view project,
                                                                    std::string_view cache_key);
  // Name `entry` as the run of `cache_key` of `project` (the latest writer wins).
  [[nodiscard]] Expected<void> put_cache_entry(std::string_view project, std::string_view cache_key,
                                               const CacheEntry& entry);
  // Store `record`, whose blobs (its outputs and its log) the store holds already (a run the
  // cache answers): each is checked and dated anew (see Backend::touch_blob), then the record is
  // written. Return false, writing nothing, when a blob is missing.
  [[nodiscard]] Expected<bool> put_run_of_stored_blobs(const core::RunRecord& record);

  [[nodiscard]] Expected<std::optional<BranchIndex>> get_branch(std::string_view project,
                                                                std::string_view branch);
  [[nodiscard]] Expected<void> put_branch(std::string_view project, const BranchIndex& index);

  // ---- Maintenance (qa-store, store/store_admin.cpp) ----
  // They need a backend that lists objects with sizes and times and removes them.

  // Return what one listing of the whole store finds: every commit of every project (found
  // under `commits/` or `packs/`), every blob, the branch indexes, and anything else.
  [[nodiscard]] Expected<StoreInventory> inventory();
  // Return every blob of the store, sorted by hash.
  [[nodiscard]] Expected<std::vector<StoredBlob>> list_blobs();
  // Return the branch indexes of `project`; an index that cannot be read is an error naming it.
  [[nodiscard]] Expected<std::vector<BranchIndex>> list_branches(std::string_view project);
  // Return the records of `commit` of `project`: each single record parsed on its own (one that
  // cannot be read, or belongs to another run, is listed in `damaged` with its path), then those
  // of its packs, each pack on its own too. Only a store that cannot be read is an error.
  [[nodiscard]] Expected<CommitScan> scan_commit(std::string_view project, std::string_view commit);
  // Remove every document of `commit` of `project`: its packs (the index last), then its single
  // records.
  [[nodiscard]] Expected<Removed> remove_commit(std::string_view project, std::string_view commit);
  // Remove the blob `hash`; one already gone is not an error.
  [[nodiscard]] Expected<void> remove_blob(const util::Hash128& hash);
  // Return, for each of `hashes` in order, whether the store holds it intact (re-read from the
  // store itself and hashed), checking up to `jobs` at once.
  [[nodiscard]] Expected<std::vector<BlobState>> check_blobs(
      const std::vector<util::Hash128>& hashes, std::size_t jobs);

  // Return the path of a record in the layout above.
  [[nodiscard]] static std::string record_path(std::string_view project, std::string_view commit,
                                               std::string_view key);
  [[nodiscard]] static std::string commit_folder(std::string_view project, std::string_view commit);

 private:
  // The runs of a commit that its packs hold.
  struct PackedRuns {
    std::vector<core::RunRecord> runs;  // sorted by key, one per key
    // Return the run of `key` in `runs`, or null.
    [[nodiscard]] core::RunRecord* find(std::string_view key);
    std::vector<std::string> packs;  // the names of the packs read
    bool complete = true;            // false when a pack could not be read (then ignored)
  };
  // Return the runs the packs of `commit` of `project` hold (the latest record of each).
  [[nodiscard]] Expected<PackedRuns> read_packs(std::string_view project, std::string_view commit);
  // Return the names of the packs of `commit`: those its index names and those a listing finds.
  [[nodiscard]] Expected<std::vector<std::string>> pack_names(std::string_view project,
                                                              std::string_view commit);
  // Add `name` to the pack index of `commit`, reading it back to catch a concurrent writer.
  [[nodiscard]] Expected<void> add_to_pack_index(std::string_view project, std::string_view commit,
                                                 const std::string& name);

  // Return the records at the document paths `paths` (nothing where there is none), read and
  // parsed in parallel.
  [[nodiscard]] Expected<std::vector<std::optional<core::RunRecord>>> fetch_records(
      const std::vector<std::string>& paths);

  // Fail when `record`, read at `path`, is not the run `key` of `commit` of `project`: one copied
  // over another's (by hand, or by a damaged store) would be reported as that run.
  [[nodiscard]] static Expected<void> check_stored_under(const core::RunRecord& record,
                                                         std::string_view project,
                                                         std::string_view commit,
                                                         std::string_view key,
                                                         std::string_view path);

  // Fail naming `what` when the store was opened read-only.
  [[nodiscard]] Expected<void> check_writable(std::string_view what) const;
  // Check that `record` can be written (a writable store, a valid project, commit and key).
  [[nodiscard]] Expected<void> check_record_to_write(const core::RunRecord& record) const;
  // Write the single record document of `record` (its blobs must be stored already).
  [[nodiscard]] Expected<void> put_record_document(const core::RunRecord& record);

  std::unique_ptr<Backend> m_backend;
  Access m_access = Access::read_write;
};

// Return the default store folder: `$XDG_CACHE_HOME/qatools`, else `~/.cache/qatools`.
[[nodiscard]] Expected<std::filesystem::path> default_store_location();

}  // namespace qa::store
