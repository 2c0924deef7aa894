#include <qa/runner/branch_index.hpp>

#include <qa/util/log.hpp>

namespace qa::runner {

Expected<bool> update_branch_index(const ProjectContext& context, store::Store& store,
                                   const std::vector<RunSpec>& plan) {
  if (!context.commit.branch || context.commit.dirty || plan.empty()) {
    return false;
  }
  for (const auto& spec : plan) {
    QA_TRY_ASSIGN(const auto record,
                  store.get_run(context.config.name, context.commit.key(), spec.key));
    if (!record || record->status != core::RunStatus::ok) {
      util::log::debug("branch index of {} not updated: {} has no ok record yet",
                       *context.commit.branch, spec.key);
      return false;
    }
  }
  QA_TRY(store.put_branch(context.config.name,
                          store::BranchIndex{*context.commit.branch, context.commit.sha, ""}));
  return true;
}

}  // namespace qa::runner
