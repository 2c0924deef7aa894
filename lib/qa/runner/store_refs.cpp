#include <qa/runner/store_refs.hpp>

#include <algorithm>
#include <set>

#include <qa/core/run_key.hpp>
#include <qa/runner/reference.hpp>

namespace qa::runner {

namespace {

// The stored commits whose sha is `sha`, in every project.
std::vector<store::CommitId> with_sha(const std::vector<store::StoredCommit>& commits,
                                      std::string_view sha) {
  std::vector<store::CommitId> found;
  for (const auto& commit : commits) {
    if (commit.commit == sha) {
      found.push_back(store::CommitId{commit.project, commit.commit});
    }
  }
  return found;
}

bool is_hex_prefix(std::string_view ref) {
  return ref.size() >= 4 && std::all_of(ref.begin(), ref.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Expected<std::vector<store::CommitId>> resolve_store_ref(
    const std::optional<ProjectContext>& context, store::Store& store,
    const std::vector<store::StoredCommit>& commits, const std::string& ref) {
  const auto none_stored = [&](std::string_view sha) {
    return fail("no records of commit {} ({}) in store {}", quote(ref), sha.substr(0, 12),
                quote(store.describe()));
  };
  if (core::check_commit_key(ref)) {
    auto found = with_sha(commits, ref);
    if (found.empty()) {
      return none_stored(ref);
    }
    return found;
  }
  if (context) {
    if (auto sha = resolve_commit(*context, store, ref)) {
      auto found = with_sha(commits, *sha);
      if (found.empty()) {
        return none_stored(*sha);
      }
      return found;
    }
  }
  // The branch indexes of every project.
  std::set<std::string> projects;
  std::vector<store::CommitId> found;
  for (const auto& commit : commits) {
    if (!projects.insert(commit.project).second) {
      continue;
    }
    QA_TRY_ASSIGN(const auto index, store.get_branch(commit.project, ref));
    if (index) {
      found.push_back(store::CommitId{commit.project, index->commit});
    }
  }
  if (!found.empty()) {
    return found;
  }
  if (is_hex_prefix(ref)) {
    std::set<std::string> shas;
    for (const auto& commit : commits) {
      if (commit.commit.starts_with(ref)) {
        shas.insert(commit.commit);
        found.push_back(store::CommitId{commit.project, commit.commit});
      }
    }
    if (shas.size() > 1) {
      return fail_as(ErrorKind::usage, "ambiguous commit {}: {} stored commits start with it",
                     quote(ref), shas.size());
    }
    if (!found.empty()) {
      return found;
    }
  }
  return fail_as(ErrorKind::usage,
                 "unknown commit {}: not a sha, tag or branch {}nor a commit or branch of store {}",
                 quote(ref), context ? "known to git " : "(outside a project git is not asked) ",
                 quote(store.describe()));
}

}  // namespace qa::runner
