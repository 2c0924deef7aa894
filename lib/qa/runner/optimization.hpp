#pragma once

// The hook through which `qa-batch --optimize` runs a search. libqa does not link dlib: the
// search lives in `qa_optimize` (optimize/batch_search.hpp), which the mains of the tools that
// optimize (qa-batch, qa) register with register_optimization(); without it `--optimize` says
// that it is unavailable.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <qa/runner/context.hpp>
#include <qa/runner/local_runner.hpp>
#include <qa/runner/plan.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// What `qa-batch BATCH... --optimize FILE` was asked.
struct OptimizationRequest {
  const ProjectContext* context = nullptr;
  store::Store* store = nullptr;
  PlanRequest plan;            // the batch as named; its label is the base of evaluation labels
  LocalRunOptions run;         // -j, --on-existing, --fail-fast, the commands' options
  std::filesystem::path file;  // QA-Board's optimization file
  std::optional<std::filesystem::path> best_output;  // --best
  std::optional<std::uint64_t> seed;                 // --seed (before QA_SEED and the file)
  std::string solver = "global";                     // --solver: global or random
  std::optional<std::size_t> parallel;               // --parallel-sampling (before the file)
  RecordSink sink;                                   // each run's record, as it finishes
};

// What a search did.
struct OptimizationOutcome {
  std::size_t evaluations = 0;  // evaluated (interrupted ones not counted)
  std::size_t succeeded = 0;    // evaluations with an objective
  std::size_t failed_runs = 0;  // runs that failed or timed out, over every evaluation
  bool interrupted = false;     // SIGINT or SIGTERM stopped it
};

// Run the search of `request`; an error for the optimization file, the targets, or a store that
// refused records.
using OptimizationRunner =
    std::function<Expected<OptimizationOutcome>(const OptimizationRequest& request)>;

// Make optimization_runner() return `runner` (replacing any earlier one). Thread-safe.
void register_optimization(OptimizationRunner runner);

// Return the registered runner, or an empty function when no library registered one.
[[nodiscard]] OptimizationRunner optimization_runner();

}  // namespace qa::runner
