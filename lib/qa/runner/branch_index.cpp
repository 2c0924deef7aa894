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
  store::BranchIndex index{*context.commit.branch, context.commit.sha, ""};
  QA_TRY_ASSIGN(const auto before, store.get_branch(context.config.name, index.branch));
  if (before) {
    index.previous = before->previous;
    if (before->commit != index.commit) {
      index.previous.insert(index.previous.begin(), before->commit);
    }
    std::erase(index.previous, index.commit);
    if (index.previous.size() > store::k_branch_chain) {
      index.previous.resize(store::k_branch_chain);
    }
  }
  QA_TRY(store.put_branch(context.config.name, index));
  return true;
}

}  // namespace qa::runner
