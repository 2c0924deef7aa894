#pragma once

#include <optional>
#include <string>
#include <vector>

#include <qa/runner/context.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Return the commits of `commits` (a store's listing) that `ref` names, for qa-store, which may
// run outside any project. In order: a full sha names that commit in every project that has it;
// inside a project (`context`), what resolve_commit() finds (HEAD, a sha, tag or branch known
// to git, a branch of the project's index); a branch of any project's branch index in the
// store; an unambiguous prefix of at least 4 hex digits of a stored commit. A ref that names no
// stored commit is an error naming it.
[[nodiscard]] Expected<std::vector<store::CommitId>> resolve_store_ref(
    const std::optional<ProjectContext>& context, store::Store& store,
    const std::vector<store::StoredCommit>& commits, const std::string& ref);

}  // namespace qa::runner
