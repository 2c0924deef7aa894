#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// `qa-store verify`: every blob that the records of some commits name (outputs and log) is in
// the store and hashes to its name.

struct VerifyOptions {
  std::optional<std::vector<CommitId>> commits;  // nothing: every commit of the store
  std::size_t jobs = 8;                          // blobs re-hashed at once
};

// A blob that is missing or corrupt, and one run that names it.
struct BadBlob {
  util::Hash128 hash;
  BlobState state = BlobState::missing;
  std::string project;
  std::string commit;
  std::string key;
  std::string file;  // the file of the run it is (`log` for the log)
};

struct VerifyResult {
  std::size_t commits = 0;
  std::size_t records = 0;  // distinct runs (a run both single and packed counts once)
  std::size_t blobs = 0;    // distinct blobs checked
  std::vector<BadBlob> bad_blobs;
  std::vector<DamagedDocument> damaged;

  [[nodiscard]] bool ok() const { return bad_blobs.empty() && damaged.empty(); }
};

// Read every record of `options.commits` (each document on its own: a damaged one is reported
// and the others still checked) and re-hash every blob they name, from the store itself. Only a
// store that cannot be read is an error.
[[nodiscard]] Expected<VerifyResult> verify_store(Store& store, const VerifyOptions& options);

// Return the line that reports `bad` (`missing blob <hash>: named by ...`) or `damaged`.
[[nodiscard]] std::string describe(const BadBlob& bad);
[[nodiscard]] std::string describe(const DamagedDocument& damaged);

}  // namespace qa::store
