#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <qa/runner/context.hpp>
#include <qa/runner/local_runner.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

struct SlurmRunOptions {
  std::filesystem::path qa_batch;  // the qa-batch the tasks run: the same path on every node
  std::filesystem::path work_dir;  // plans, scripts and Slurm logs: shared with the nodes
  std::filesystem::path cwd;       // where the tasks start: where qa-batch was started
  OnExisting on_existing = OnExisting::run;
  std::size_t jobs = 0;                 // runs at a time in each task; 0: cpus_per_task, else 1
  std::vector<std::string> extra_args;  // appended to every run's command
  UseCache use_cache = UseCache::yes;   // UseCache::no: the tasks run with --no-cache
  bool verbose = false;
  std::chrono::milliseconds poll{1000};  // how often the store and squeue are asked
};

// Run `specs` on Slurm: one job array per set of Slurm options (runners.slurm overlaid by each
// batch's `slurm:` block; usually one), whose task I of N runs shard I/N of the array's plan
// (`qa-batch --from-plan`, `jobs` or `cpus_per_task` runs at a time; a requeued task skips what
// its first attempt recorded) against the shared store. Each record
// is passed to `sink` as it appears in the store, in the plan's format (with OnExisting::skip the
// ok records already stored are passed first and not run again). Records that were in the store
// before the submission are not taken for new ones. A task that ended without recording its
// runs counts them as errors, each named in a warning with the task's state and Slurm log. On
// SIGINT/SIGTERM every array is cancelled (scancel) and waited for; the outcome says
// interrupted. A rejected submission is an error (arrays already submitted are cancelled).
[[nodiscard]] Expected<BatchOutcome> run_slurm(const ProjectContext& context, store::Store& store,
                                               const std::vector<RunSpec>& specs,
                                               const SlurmRunOptions& options,
                                               const RecordSink& sink);

}  // namespace qa::runner
