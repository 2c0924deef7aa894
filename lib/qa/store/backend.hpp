#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::store {

// How a store is opened. Readers (qa-report, qa-bitacc, qa-get) open it read-only: a missing
// local folder is then an empty store, not a new folder, and no write access is needed (a
// read-only mount works).
enum class Access { read_write, read_only };

// A blob to store: the file `source` whose content hashes to `hash` and holds `size` bytes.
struct BlobUpload {
  util::Hash128 hash;
  std::filesystem::path source;
  std::uint64_t size = 0;
};

// A blob to fetch into the file `destination`; `size`, when known (a record says it), bounds
// what is read: a longer answer is abandoned as soon as it passes it.
struct BlobDownload {
  util::Hash128 hash;
  std::filesystem::path destination;
  std::optional<std::uint64_t> size;
};

// When a written document reaches the disk. With each_write, put_document syncs the document
// (and its folder) before it returns. With on_flush, the document is renamed into place all the
// same (readers see nothing or all of it, and a qatools process killed at any point loses
// nothing: the kernel holds what was written), but it reaches the disk at the next flush() (or
// whenever the kernel writes it back): for a batch, one sync at its end instead of two per
// record; what an operating system crash before that sync loses, a rerun with
// `--on-existing skip` makes again.
enum class DocumentSync { each_write, on_flush };

// An object of the store as a listing shows it: its path relative to the listed folder, its
// size and when it was last written (to the second; a backend that cannot tell gives the epoch).
struct ObjectInfo {
  std::string path;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

// What re-reading a stored blob found.
enum class BlobState { intact, missing, corrupt };

// Return the path of the blob `hash` in the store layout: `cas/<h[0:2]>/<h[2:]>`.
[[nodiscard]] std::string blob_rel_path(const util::Hash128& hash);

// The largest document (run record, branch index, listing) a backend reads: records are a few
// KiB, so anything bigger is a wrong or hostile answer, refused before it is held in memory.
inline constexpr std::uint64_t k_max_document_bytes = std::uint64_t{64} << 20;

// A storage backend: content-addressed blobs and small documents (run records, branch indexes)
// at relative `/`-separated paths. Backends are dumb; the Store facade owns the layout and the
// order of writes. Every write is atomic: a reader sees nothing or the whole content.
class Backend {
 public:
  virtual ~Backend() = default;

  // Return where the backend stores, for messages (credentials removed).
  [[nodiscard]] virtual std::string describe() const = 0;

  [[nodiscard]] virtual Expected<bool> has_blob(const util::Hash128& hash) = 0;
  // Store the file `source` whose content hashes to `hash` and holds `size` bytes. An existing
  // blob is never overwritten. The blob never shares an inode with `source` (a copy or a
  // reflink: the file stays writable by its command, the blob must not change); a `source` that
  // is a symbolic link, not a regular file, or whose content no longer matches is refused.
  [[nodiscard]] virtual Expected<void> put_blob(const util::Hash128& hash,
                                                const std::filesystem::path& source,
                                                std::uint64_t size) = 0;
  // Write the blob `hash` to `destination` (atomically) after checking its content against
  // `hash`; a mismatch is an error and leaves no file at `destination`.
  [[nodiscard]] virtual Expected<void> get_blob(const util::Hash128& hash,
                                                const std::filesystem::path& destination) = 0;

  // The batch forms of the blob operations, for the many files of a run. Remote backends
  // override them to transfer in parallel; the defaults loop over the single-blob operations.
  // Return, for each of `hashes` in order, whether the store holds it.
  [[nodiscard]] virtual Expected<std::vector<bool>> has_blobs(
      const std::vector<util::Hash128>& hashes);
  // Record that the blob `hash`, which the store holds, is used again now: where the backend can,
  // its modification time becomes now, so that gc's grace period protects it from its last use
  // (a batch reusing it writes its record later), not only from its first write. Best effort:
  // the default does nothing (http, S3), a backend that cannot set the time leaves it.
  virtual void touch_blob(const util::Hash128& hash);
  // Store every blob of `uploads` that the store does not hold yet (see put_blob) and touch
  // those it holds (see touch_blob). When one fails, the others may or may not be stored;
  // nothing else is written.
  [[nodiscard]] virtual Expected<void> put_blobs(const std::vector<BlobUpload>& uploads);
  // Fetch every blob of `downloads` (see get_blob); the first failure is returned.
  [[nodiscard]] virtual Expected<void> get_blobs(const std::vector<BlobDownload>& downloads);

  // Return the document at `rel`, or nothing when there is none.
  [[nodiscard]] virtual Expected<std::optional<std::string>> get_document(std::string_view rel) = 0;
  [[nodiscard]] virtual Expected<void> put_document(std::string_view rel,
                                                    std::string_view content) = 0;
  // Choose when documents written from now on reach the disk (each_write by default). Backends
  // whose writes are durable when they return (remote ones) ignore it.
  virtual void set_document_sync(DocumentSync sync) { static_cast<void>(sync); }
  // Make every document and blob written so far durable (with DocumentSync::on_flush).
  [[nodiscard]] virtual Expected<void> flush() { return {}; }

  // Return the paths of the documents under the folder `prefix`, relative to it, sorted.
  [[nodiscard]] virtual Expected<std::vector<std::string>> list_documents(
      std::string_view prefix) = 0;

  // Maintenance (qa-store): listing with sizes and times, removal, re-hashing.
  // Return every object under the folder `prefix` (documents and blobs alike, e.g. `cas` for
  // every blob; an empty `prefix` for the whole store), relative to it, sorted by path, with its
  // size and modification time. Temporary files of writes in progress are not objects; a folder
  // that does not exist holds none.
  [[nodiscard]] virtual Expected<std::vector<ObjectInfo>> list_objects(std::string_view prefix) = 0;
  // Remove the object at `rel` (a document, or a blob at blob_rel_path()); one already gone is
  // not an error.
  [[nodiscard]] virtual Expected<void> remove_object(std::string_view rel) = 0;
  // Read the blob `hash` from the store itself (never from a local cache) and tell whether it is
  // there and hashes to its name. An error means the store could not be read, not a bad blob.
  [[nodiscard]] virtual Expected<BlobState> check_blob(const util::Hash128& hash) = 0;
  // Return check_blob() of each of `hashes`, in order. Remote backends override it to read
  // the blobs in parallel; the default checks one after the other. The first error is
  // returned.
  [[nodiscard]] virtual Expected<std::vector<BlobState>> check_blobs(
      const std::vector<util::Hash128>& hashes);
};

}  // namespace qa::store
