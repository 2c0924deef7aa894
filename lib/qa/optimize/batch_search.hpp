#pragma once

#include <qa/runner/optimization.hpp>
#include <qa/util/error.hpp>

namespace qa::optimize {

// `qa-batch BATCH... --optimize FILE`: search the parameters of QA-Board's optimization file
// `request.file` that minimize its objective over the runs of the batch.
//
// Each evaluation runs the whole batch at one point of the search space: its params are the
// batch's params (and --param) patched with the file's preset_params and the point's values,
// its label `<label>.iter<N>` (core/optimization.hpp), its records go to `request.sink` as they
// finish and its objective (core/objective.hpp) is computed from them. Up to
// `parallel_sampling` points are evaluated at once, their runs sharing the -j slots: the points
// of one wave are asked together, run together, and told together, as QA-Board does. A failed
// evaluation (a run failed, a metric is missing) is a failed trial: noted, told to the solver as a
// bad value, and the search goes on (with --fail-fast it stops there). Once the best evaluation is
// known to be another one, the output folders of a successful evaluation are removed (its outputs
// stay in the store); the best one's and the failed ones' stay.
//
// The seed is --seed, else QA_SEED, else the file's solver.random_state, else 42; with it the
// same evaluations ask the same points. So a search that was interrupted resumes: rerun with
// `--on-existing skip` and the evaluations whose runs are stored are told from their records,
// without running anything, until the search reaches the points it never evaluated.
//
// With `--best FILE`, the qa.optimization/1 document (core/optimization.hpp) is written before
// the first evaluation (a path that cannot be written fails before anything runs), after each
// wave, and at the end, also after an interrupt or when no evaluation succeeded. Errors: the
// file, the metrics file, the targets, --best (before anything runs), a store that refused
// records (after the search, which stops).
[[nodiscard]] Expected<runner::OptimizationOutcome> run_batch_search(
    const runner::OptimizationRequest& request);

// Make run_batch_search the runner of `qa-batch --optimize` (runner::register_optimization).
void register_optimization();

}  // namespace qa::optimize
