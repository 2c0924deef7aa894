#pragma once

#include <string>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/output_dir.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>
#include <qa/util/hash_cache.hpp>

namespace qa::runner {

// Whether a run may take its outputs from the run cache (runner/run_cache.hpp).
enum class UseCache { no, yes };

struct ExecuteOptions {
  KeepPrevious keep_previous = KeepPrevious::no;
  UseCache use_cache = UseCache::yes;
  std::vector<std::string> extra_args;  // appended to the command, each shell-quoted
  std::size_t hash_threads = 0;         // 0: one per core
  // Where the run cache's key hashes files (the inputs, run.deps) again; null: no hash cache.
  util::HashCache* hash_cache = nullptr;
};

// The shell command of `spec`: run.command with the placeholders substituted and `extra_args`
// appended, or without run.command the command that runs project.entrypoint with `extra_args`
// as its forwarded arguments (runner/entrypoint.hpp). What `qa-run --dry-run` prints.
[[nodiscard]] Expected<std::string> build_command(const ProjectContext& context,
                                                  const RunSpec& spec,
                                                  const std::vector<std::string>& extra_args);

// Run `spec`: prepare its output folder, run the command then (when it succeeded) the
// postprocess, with stdout and stderr in `<output_dir>/qa-run.log`, read metrics.json, hash the
// outputs and store them and the record in `store`. Return the stored record, whose status says
// whether the run succeeded (ok), failed or timed out. Errors are for trouble that is not the
// run's own result: bad configuration, invalid metrics.json, store failures, an interrupt
// (kind interrupted).
// With run.deps, the record holds its cache key; an ok run becomes the cache entry of its key.
// With `use_cache` yes, a run the cache answers (its outputs' blobs all still stored) is not
// run: its record has status cached, nothing is written to its output folder, and a blob found
// missing means the run runs after all.
[[nodiscard]] Expected<core::RunRecord> execute_run(const ProjectContext& context,
                                                    store::Store& store, const RunSpec& spec,
                                                    const ExecuteOptions& options);

}  // namespace qa::runner
