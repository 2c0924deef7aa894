#pragma once

#include <filesystem>
#include <functional>
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

  // Choose when the records written from now on reach the disk (see DocumentSync): qa-batch
  // writes its records with on_flush and calls flush() once at the end of the batch.
  void set_document_sync(DocumentSync sync) { m_backend->set_document_sync(sync); }
  // Make what was written so far durable; fail naming the store when it cannot.
  [[nodiscard]] Expected<void> flush() { return m_backend->flush(); }

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

  [[nodiscard]] Expected<std::optional<BranchIndex>> get_branch(std::string_view project,
                                                                std::string_view branch);
  [[nodiscard]] Expected<void> put_branch(std::string_view project, const BranchIndex& index);

  // Return the path of a record in the layout above.
  [[nodiscard]] static std::string record_path(std::string_view project, std::string_view commit,
                                               std::string_view key);
  [[nodiscard]] static std::string commit_folder(std::string_view project, std::string_view commit);

 private:
  // Return the records at the document paths `paths` (nothing where there is none), read and
  // parsed in parallel.
  [[nodiscard]] Expected<std::vector<std::optional<core::RunRecord>>> fetch_records(
      const std::vector<std::string>& paths);

  // Fail naming `what` when the store was opened read-only.
  [[nodiscard]] Expected<void> check_writable(std::string_view what) const;

  std::unique_ptr<Backend> m_backend;
  Access m_access = Access::read_write;
};

// Return the default store folder: `$XDG_CACHE_HOME/qatools`, else `~/.cache/qatools`.
[[nodiscard]] Expected<std::filesystem::path> default_store_location();

}  // namespace qa::store
