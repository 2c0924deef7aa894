#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// `qa-store stats`: what a store holds.
struct StoreStats {
  std::size_t projects = 0;
  std::size_t commits = 0;
  std::size_t records = 0;         // distinct runs (project, commit, key)
  std::size_t damaged = 0;         // record documents that cannot be read
  std::uint64_t record_bytes = 0;  // of the record and pack documents
  std::size_t blobs = 0;
  std::uint64_t stored_bytes = 0;  // of the blobs
  std::uint64_t named_bytes = 0;   // the sizes of the files and logs that the records name

  // Return named_bytes / stored_bytes: how many times deduplication shrinks the outputs (0 for
  // an empty store).
  [[nodiscard]] double dedup_ratio() const;
};

// Count what `store` holds, reading every record (each document on its own).
[[nodiscard]] Expected<StoreStats> store_stats(Store& store);

// Return `stats` as JSON: {"projects", "commits", "records", "damaged_records", "record_bytes",
// "blobs", "stored_bytes", "named_bytes", "dedup_ratio"}.
[[nodiscard]] nlohmann::json to_json(const StoreStats& stats);

}  // namespace qa::store
