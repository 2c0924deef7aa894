#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// Packs: the records of one batch (or one shard of it) at one commit, in one document, so a
// reader fetches a commit's records in a few reads instead of one per run, and finds them
// without listing folders. Layout (beside the records, which stay where they are):
//
//   <project>/packs/<commit[0:2]>/<commit[2:]>/<name>.pack    packs of the commit
//   <project>/packs/<commit[0:2]>/<commit[2:]>/index.json     the names of its packs
//
// A pack, schema `qa.pack/1`, is JSON Lines: a header line
//   {"schema": "qa.pack/1", "project": "acme/denoise", "commit": "<sha>", "records": 3,
//    "written_at": "<RFC 3339>", "written_ns": <nanoseconds since 1970>}
// then `records` lines, each one run record (`qa.run/1`, see core/run_record.hpp) of that project
// and commit, sorted by key. The whole document is compressed with zstd (it then starts with the
// zstd frame magic) when that makes it smaller. `<name>` is the first 16 hex digits of the xxh128
// of what the batch was asked to run (its keys), so a rerun of the same batch replaces its pack.
//
// The pack index, schema `qa.pack-index/1`:
//   {"schema": "qa.pack-index/1", "packs": ["0123456789abcdef.pack", ...]}
// is best effort (writers on several machines may race): readers also list the folder where the
// backend can list.
//
// When several packs hold a run, the record that started last wins (then the pack written last).

// One decoded pack.
struct Pack {
  std::string project;
  std::string commit;
  std::int64_t written_ns = 0;
  std::vector<core::RunRecord> records;  // sorted by key
};

// Return the folder of the packs of `commit` of `project`.
[[nodiscard]] std::string pack_folder(std::string_view project, std::string_view commit);

// Return the file name of the pack of a batch asked to run `keys` (in any order).
[[nodiscard]] std::string pack_name(std::vector<std::string> keys);

// Return the document of `pack`, compressed when that makes it smaller. Sorts nothing: the
// caller passes records sorted by key.
[[nodiscard]] std::string encode_pack(const Pack& pack);

// Read the pack document `bytes` (compressed or not) found at `origin`: the header, then every
// record, parsed in parallel and checked to belong to the header's project and commit. A pack
// with one bad line is refused as a whole.
[[nodiscard]] Expected<Pack> decode_pack(std::string_view bytes, std::string_view origin);

// Return the index document naming `names`, and the names an index document holds.
[[nodiscard]] std::string encode_pack_index(const std::vector<std::string>& names);
[[nodiscard]] Expected<std::vector<std::string>> decode_pack_index(std::string_view text,
                                                                   std::string_view origin);

// Whether `name` is a pack's file name (and not the index or a temporary file).
[[nodiscard]] bool is_pack_name(std::string_view name);

}  // namespace qa::store
