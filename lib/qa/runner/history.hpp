#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/git/repository.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/plan.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Where a commit of a branch's history was found.
enum class CommitSource { git, branch_index };

// A commit of a branch, as `qa-report --history` lists it.
struct BranchCommit {
  std::string sha;
  std::optional<std::string> subject;  // from git; none for a commit only the index knows
  std::optional<std::string> date;     // the author date (RFC 3339, UTC), from git
  CommitSource source = CommitSource::git;
};

// Return the commits of `branch` of `project`, newest first, first parents only, at most `limit`:
// those git knows (`repository` may be null: no git), then, when git lacks the branch or its
// chain ends at a shallow clone's edge, the older commits of the store's branch index chain
// (`commit` and `previous` of qa.branch/1). Fails with a usage error naming `branch` when neither
// git nor the store's index knows it.
[[nodiscard]] Expected<std::vector<BranchCommit>> branch_commits(const git::Repository* repository,
                                                                 store::Store& store,
                                                                 const std::string& project,
                                                                 const std::string& branch,
                                                                 std::size_t limit);

// One commit of a history and its records (none: a gap).
struct HistoryEntry {
  BranchCommit commit;
  std::vector<core::RunRecord> records;
};

// What `qa-report --history BRANCH [--last N] [BATCH]...` asks for.
struct HistoryQuery {
  std::string branch;
  std::size_t last = 20;  // commits with results to report
  PlanRequest plan;       // plan.names: batches (none: every run of each commit)
};

// The commits of a history: the newest first, down to the `last`-th commit with results. The
// commits without results between them are kept as gaps; those older than the oldest commit
// with results are left out. At most max(200, 10 * last) commits are examined.
struct BranchHistory {
  std::vector<HistoryEntry> entries;
  std::size_t examined = 0;  // commits whose records were looked up
};

// Return the history `query` asks for: the commits of branch_commits() (git from
// `context.config.root` when it is in a repository), each with its stored records: with
// batches, those of their plan's keys; without, every record of the commit.
[[nodiscard]] Expected<BranchHistory> branch_history(const ProjectContext& context,
                                                     store::Store& store,
                                                     const HistoryQuery& query);

// Return the most commits branch_history() examines for `last` commits with results.
[[nodiscard]] std::size_t history_walk_limit(std::size_t last);

}  // namespace qa::runner
