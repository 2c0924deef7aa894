#pragma once

#include <vector>

#include <qa/runner/context.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Point the store's index of the current branch at the current commit when the commit is
// clean, on a named branch, and every run of `plan` (the whole plan, not only this shard's
// runs) has an ok record at that commit. The commit the index named before is put first in its
// `previous` chain (see store/store.hpp). Return true when the index was updated.
[[nodiscard]] Expected<bool> update_branch_index(const ProjectContext& context, store::Store& store,
                                                 const std::vector<RunSpec>& plan);

}  // namespace qa::runner
