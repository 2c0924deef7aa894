#include <qa/runner/branch_index.hpp>

#include <qa/util/log.hpp>

namespace qa::runner {

Expected<bool> update_branch_index(const ProjectContext& context, store::Store& store,
                                   const std::vector<RunSpec>& plan) {
  if (!context.commit.branch || context.commit.dirty || plan.empty()) {
    return false;
  }
  std::vector<std::string> keys;
  for (const auto& spec : plan) {
    keys.push_back(spec.key);
  }
  QA_TRY_ASSIGN(const auto records,
                store.get_runs(context.config.name, context.commit.key(), keys));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!records[i] || !core::succeeded(records[i]->status)) {
      util::log::debug("branch index of {} not updated: {} has no ok record yet",
                       *context.commit.branch, keys[i]);
      return false;
    }
  }
  QA_TRY(store.put_branch(context.config.name,
                          store::BranchIndex{*context.commit.branch, context.commit.sha, ""}));
  return true;
}

}  // namespace qa::runner
