#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

struct git_repository;

namespace qa::git {

// The commit that results are recorded under.
struct CommitIdentity {
  std::string sha;                    // 40 hex
  bool dirty = false;                 // tracked files differ from the commit
  std::optional<std::string> branch;  // none on a detached HEAD without CI variables
  bool detached = false;

  // The store's commit key: the sha, with `-dirty` appended when the tree is dirty.
  [[nodiscard]] std::string key() const { return dirty ? sha + "-dirty" : sha; }
};

// A commit as a log shows it.
struct CommitInfo {
  std::string sha;          // 40 hex
  std::string subject;      // the first line of the message
  std::string author_date;  // RFC 3339, UTC
};

// The first-parent chain of a commit, newest first.
struct FirstParentLog {
  std::vector<CommitInfo> commits;
  // True when the chain stops at a commit whose first parent this repository lacks (the edge of
  // a shallow clone), false when it reaches a root commit or the limit.
  bool shallow_end = false;
};

// A git repository opened through libgit2. Move-only; closes the repository on destruction.
class Repository {
 public:
  // Open the repository that holds `path` (searching parent folders). Fails with a one-line
  // error when `path` is in no git repository.
  [[nodiscard]] static Expected<Repository> discover(const std::filesystem::path& path);

  ~Repository();
  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Return the folder of the working tree.
  [[nodiscard]] const std::filesystem::path& workdir() const { return m_workdir; }

  // Return the sha of HEAD; fails when the repository has no commit yet.
  [[nodiscard]] Expected<std::string> head_sha() const;

  // Return the branch HEAD points to, or nothing when HEAD is detached.
  [[nodiscard]] Expected<std::optional<std::string>> head_branch() const;

  // Return true when a tracked file differs from HEAD, in the index or the working tree.
  // Untracked and ignored files do not count.
  [[nodiscard]] Expected<bool> is_dirty() const;

  // Return the full sha of the commit that `ref` names (a sha or sha prefix, a tag, a local
  // branch, `origin/<branch>`, or `<branch>` found as `origin/<branch>`), or nothing when the
  // repository does not know it.
  [[nodiscard]] Expected<std::optional<std::string>> resolve(std::string_view ref) const;

  // Return the best common ancestor of the commits `a` and `b`, or nothing when there is none
  // in this repository (unrelated histories, or a shallow clone that lacks it).
  [[nodiscard]] Expected<std::optional<std::string>> merge_base(std::string_view a,
                                                                std::string_view b) const;

  // Return the first parent of `sha`, or nothing for a root commit or a shallow clone's edge.
  [[nodiscard]] Expected<std::optional<std::string>> first_parent(std::string_view sha) const;

  // Return the commit `sha` and its first parents, newest first, at most `limit` of them (see
  // FirstParentLog). The second parents of merges are never visited. Fails when `sha` is not a
  // commit of this repository.
  [[nodiscard]] Expected<FirstParentLog> first_parent_log(std::string_view sha,
                                                          std::size_t limit) const;

  // Return true for a shallow clone (`git clone --depth N`).
  [[nodiscard]] bool is_shallow() const;

  // Return the identity of the checked-out commit. CI variables take precedence over what the
  // checkout says: the sha from CI_COMMIT_SHA or GITHUB_SHA; the branch from
  // CI_COMMIT_REF_NAME, GITHUB_HEAD_REF (pull requests) or GITHUB_REF_NAME.
  [[nodiscard]] Expected<CommitIdentity> current_commit() const;

 private:
  struct Deleter {
    void operator()(git_repository* repo) const;
  };
  Repository(git_repository* repo, std::filesystem::path workdir);

  std::unique_ptr<git_repository, Deleter> m_repo;
  std::filesystem::path m_workdir;
};

}  // namespace qa::git
