#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// What `qa-batch` was asked to run.
struct PlanRequest {
  std::vector<std::string> names;                      // batches, aliases, input paths or globs
  std::vector<std::filesystem::path> batches_files;    // added after inputs.batches
  nlohmann::json configs = nlohmann::json::array();    // --config: appended to every run's list
  nlohmann::json params = nlohmann::json::object();    // --param: applied to every run, last
  std::vector<nlohmann::json> tuning_points;           // one run per point (none: one run)
  std::string label = "default";
};

// Return the plan: every run of `request`, in a deterministic order (the order of the names,
// then of each batch's inputs, then matrix combinations, then tuning points). Runs that get the
// same key are one run (the first kept).
[[nodiscard]] Expected<std::vector<RunSpec>> make_plan(const ProjectContext& context,
                                                       const PlanRequest& request);

// Return the record of `spec` as `--list` prints it: status planned, no outputs.
[[nodiscard]] core::RunRecord planned_record(const ProjectContext& context, const RunSpec& spec);

}  // namespace qa::runner
