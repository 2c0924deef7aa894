#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/execute.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

enum class OnExisting { run, skip };
enum class FailFast { no, yes };
enum class Skipped { no, yes };

struct LocalRunOptions {
  std::size_t jobs = 0;  // 0: one per core
  OnExisting on_existing = OnExisting::run;
  FailFast fail_fast = FailFast::no;
  ExecuteOptions execute;
};

// What a batch did.
struct BatchOutcome {
  std::size_t ok = 0;       // ran and succeeded
  std::size_t cached = 0;   // answered by the run cache: nothing ran
  std::size_t failed = 0;   // failed or timed out
  std::size_t skipped = 0;  // an ok record existed (--on-existing skip)
  std::size_t errors = 0;   // runs that could not be executed or recorded (reported on stderr)
  bool interrupted = false;

  // Count `record`: as skipped when `was_skipped`, else as ok or failed by its status. Return
  // whether it is ok.
  bool count(const core::RunRecord& record, Skipped was_skipped) {
    const bool is_ok = core::succeeded(record.status);
    if (was_skipped == Skipped::yes) {
      ++skipped;
    } else if (record.status == core::RunStatus::cached) {
      ++cached;
    } else if (is_ok) {
      ++ok;
    } else {
      ++failed;
    }
    return is_ok;
  }
};

// Receives each record as its run finishes (calls are serialised).
using RecordSink = std::function<void(const core::RunRecord&)>;

// Write the pack (store/pack.hpp) of a batch asked to run `specs`: `records`, what it ran or
// found stored. The records themselves are stored already, so a pack that cannot be written is
// a warning (readers read the single records), not an error.
void write_pack(const ProjectContext& context, store::Store& store,
                const std::vector<RunSpec>& specs, std::vector<core::RunRecord> records);

// Run `specs` on this machine, `jobs` at a time, passing each record to `sink` as soon as its
// run is recorded, then write their pack (write_pack). A failed run does not stop the others unless
// `fail_fast`. With `on_existing` skip, a run whose ok record exists at this commit is not run: its
// stored record is passed on; when the store cannot be read for it, the run is an error (neither
// skipped nor run again). On SIGINT/SIGTERM every running command's process group is killed, no new
// run starts, and the outcome says interrupted; records already written stay complete.
[[nodiscard]] BatchOutcome run_local(const ProjectContext& context, store::Store& store,
                                     const std::vector<RunSpec>& specs,
                                     const LocalRunOptions& options, const RecordSink& sink);

}  // namespace qa::runner
