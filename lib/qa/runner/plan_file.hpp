#pragma once

#include <filesystem>
#include <vector>

#include <qa/runner/context.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// The plan file (schema `qa.plan/1`): the runs of a batch, planned once by
// `qa-batch --runner slurm` and run shard by shard by its array tasks (`qa-batch --from-plan`):
//   {"schema": "qa.plan/1", "project": "acme/denoise", "commit": "<sha>[-dirty]",
//    "runs": [{"input": "a.png", "rel_input_path": "a.png", "input_path": "/abs/data/a.png",
//              "configs": [...], "params": {...}, "label": "default", "key": "...",
//              "output_dir": "/abs/output/..."}, ...]}
// The runs keep the plan's order, so that shard I/N names the same runs everywhere.

// Write the plan `specs` of `context`'s project and commit to `file`, atomically.
[[nodiscard]] Expected<void> write_plan_file(const std::filesystem::path& file,
                                             const ProjectContext& context,
                                             const std::vector<RunSpec>& specs);

// Return the runs of the plan file `file`. A file that is not a plan, or a plan of another
// project or commit than `context`'s (the checkout moved since it was planned), is an error
// naming the file.
[[nodiscard]] Expected<std::vector<RunSpec>> read_plan_file(const std::filesystem::path& file,
                                                            const ProjectContext& context);

}  // namespace qa::runner
