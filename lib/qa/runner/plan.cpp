#include <qa/runner/plan.hpp>

#include <map>

#include <qa/core/batches.hpp>
#include <qa/core/matrix.hpp>
#include <qa/core/params.hpp>
#include <qa/util/log.hpp>
#include <qa/version.hpp>

namespace qa::runner {

Expected<std::vector<RunSpec>> make_plan(const ProjectContext& context,
                                         const PlanRequest& request) {
  std::vector<std::filesystem::path> files = context.config.inputs.batches;
  for (const auto& file : request.batches_files) {
    files.push_back(std::filesystem::absolute(file).lexically_normal());
  }
  QA_TRY_ASSIGN(const auto batches, core::Batches::load(files, context.config.root));
  const core::InputDefaults defaults{context.config.root, context.config.inputs};
  QA_TRY_ASSIGN(const auto runs, batches.expand(request.names, defaults));

  const std::vector<nlohmann::json> points =
      request.tuning_points.empty() ? std::vector<nlohmann::json>{nlohmann::json::object()}
                                    : request.tuning_points;
  // Each bounded alone, the batch's runs and the tuning points may still multiply too far.
  if (runs.size() > core::k_max_plan_runs / points.size()) {
    return fail("{} runs times {} tuning points make more than {} runs: the plan is too large",
                runs.size(), points.size(), core::k_max_plan_runs);
  }
  std::vector<RunSpec> plan;
  std::map<std::string, std::size_t> keys;  // key -> position in the plan
  for (const auto& run : runs) {
    nlohmann::json configs = run.configs;
    for (const auto& config : request.configs) {
      configs.push_back(config);
    }
    for (const auto& point : points) {
      nlohmann::json patches = point;
      core::deep_merge(patches, request.params);
      QA_TRY_ASSIGN(auto spec, make_batch_run_spec(context, run.database, run.input, configs,
                                                   patches, request.label));
      spec.slurm = run.slurm;
      spec.reference = run.reference;
      if (const auto same = keys.find(spec.key); same != keys.end()) {
        const RunSpec& first = plan[same->second];
        if (first.input_path != spec.input_path || first.params != spec.params) {
          return fail(
              "runs of {} and {} would share the key {}: rename an input or a "
              "configuration",
              quote(first.input_path.string()), quote(spec.input_path.string()), quote(spec.key));
        }
        util::log::debug("{} is already in the plan", spec.key);
        continue;
      }
      keys.emplace(spec.key, plan.size());
      plan.push_back(std::move(spec));
    }
  }
  return plan;
}

core::RunRecord planned_record(const ProjectContext& context, const RunSpec& spec) {
  core::RunRecord record;
  record.project = context.config.name;
  record.commit = context.commit.key();
  record.branch = context.commit.branch;
  record.label = spec.label;
  record.key = spec.key;
  record.input = spec.input;
  record.configs = spec.configs;
  record.params = spec.params;
  record.status = core::RunStatus::planned;
  record.output_dir = spec.output_dir.string();
  record.qatools_version = k_version;
  return record;
}

}  // namespace qa::runner
