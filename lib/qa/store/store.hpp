#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
//   {"schema": "qa.branch/1", "branch": "main", "commit": "<sha>", "updated_at": "<RFC 3339>"}
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

  [[nodiscard]] Expected<std::optional<BranchIndex>> get_branch(std::string_view project,
                                                                std::string_view branch);
  [[nodiscard]] Expected<void> put_branch(std::string_view project, const BranchIndex& index);

  // Return the path of a record in the layout above.
  [[nodiscard]] static std::string record_path(std::string_view project, std::string_view commit,
                                               std::string_view key);
  [[nodiscard]] static std::string commit_folder(std::string_view project, std::string_view commit);

 private:
  // The runs of a commit that its packs hold.
  struct PackedRuns {
    std::map<std::string, core::RunRecord, std::less<>> runs;
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

  std::unique_ptr<Backend> m_backend;
  Access m_access = Access::read_write;
};

// Return the default store folder: `$XDG_CACHE_HOME/qatools`, else `~/.cache/qatools`.
[[nodiscard]] Expected<std::filesystem::path> default_store_location();

}  // namespace qa::store
