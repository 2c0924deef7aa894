#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>
#include <qa/util/hash_cache.hpp>

namespace qa::runner {

// The run cache. When qaboard.yaml declares `run.deps` (the files a run depends on: its
// program, scripts, models), a run whose command, parameters, configurations, input content
// and dependencies' content are those of a stored ok run reuses that run's outputs: its record
// names the same blobs, with status `cached` and `cached_from`, and nothing executes. Without
// `run.deps` nothing is cached: the cache never guesses what a run depends on.
//
// The cache key of a run is the XXH3-128 (hex) of this canonical document, schema
// qa.cache-key/1 (compact JSON, keys sorted):
//   {"schema": "qa.cache-key/1",
//    "command": "<run.command as written>" | {"entrypoint": "<project.entrypoint>"},
//    "postprocess": "<run.postprocess as written>", "extra_args": ["..."],
//    "label": "default", "params": {...}, "configs": [...], "env": {run.env},
//    "input": {"<path in the input>": "<xxh128>"},   "": the input itself when it is a file
//    "deps": {"<entry of run.deps, placeholders substituted>":
//               {"<path>": "<xxh128>"}}}   files of what the entry names (none: {})
// Paths are relative to the project root (absolute only for a dependency outside it), so that
// the same run in two checkouts has the same key; the commit, the output folder and the
// project's location are not part of it. Entries of run.deps are paths, folders (every file
// under them) or globs (util/path_glob.hpp), relative to the project root, and may use the
// command's placeholders {rel_input_path}, {label}, {configs} and {params.KEY}, so that a run
// depends on its own model, say: `models/{params.model}.onnx`.

// Return the cache key of `spec` (run with `extra_args`), or nothing without run.deps. Files
// are hashed through `hash_cache` when given. An entry naming an unknown parameter is an error.
[[nodiscard]] Expected<std::optional<std::string>> run_cache_key(
    const ProjectContext& context, const RunSpec& spec, const std::vector<std::string>& extra_args,
    util::HashCache* hash_cache);

// Return the record the cache gives `spec` for `cache_key`: the stored run the cache entry
// names (store.hpp, CacheEntry), as a record of this commit and run with status `cached`,
// `cached_from` (the commit whose run produced the outputs), the outputs, metrics, timing and
// log of that run; or nothing when there is no entry, its run is gone, did not succeed or has
// another key. Its blobs are not checked here (Store::put_run_of_stored_blobs does).
[[nodiscard]] Expected<std::optional<core::RunRecord>> cached_record(const ProjectContext& context,
                                                                     store::Store& store,
                                                                     const RunSpec& spec,
                                                                     const std::string& cache_key);

// Return the hash cache that run_cache_key hashes files through (util::HashCache's default
// location), or null without run.deps or without a cache folder.
[[nodiscard]] std::unique_ptr<util::HashCache> load_key_hash_cache(const ProjectContext& context);

// Save `hash_cache` (when not null); a cache that cannot be saved is a warning.
void save_key_hash_cache(util::HashCache* hash_cache);

}  // namespace qa::runner
