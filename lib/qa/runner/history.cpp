#include <qa/runner/history.hpp>

#include <algorithm>
#include <unordered_set>

#include <qa/util/log.hpp>

namespace qa::runner {

namespace {

// The commits of the store's index of `branch`, newest first; empty when there is no index.
Expected<std::vector<std::string>> index_chain(store::Store& store, const std::string& project,
                                               const std::string& branch) {
  QA_TRY_ASSIGN(const auto index, store.get_branch(project, branch));
  std::vector<std::string> chain;
  if (index) {
    chain.push_back(index->commit);
    chain.insert(chain.end(), index->previous.begin(), index->previous.end());
  }
  return chain;
}

}  // namespace

std::size_t history_walk_limit(std::size_t last) { return std::max<std::size_t>(200, 10 * last); }

Expected<std::vector<BranchCommit>> branch_commits(const git::Repository* repository,
                                                   store::Store& store, const std::string& project,
                                                   const std::string& branch, std::size_t limit) {
  std::vector<BranchCommit> commits;
  bool need_index = true;
  if (repository != nullptr) {
    QA_TRY_ASSIGN(const auto head, repository->resolve(branch));
    if (head) {
      QA_TRY_ASSIGN(const auto log, repository->first_parent_log(*head, limit));
      for (const auto& commit : log.commits) {
        commits.push_back(
            BranchCommit{commit.sha, commit.subject, commit.author_date, CommitSource::git});
      }
      need_index = log.shallow_end && commits.size() < limit;
      if (log.shallow_end) {
        util::log::debug("the git history of {} ends at the shallow commit {}", branch,
                         commits.back().sha.substr(0, 12));
      }
    }
  }
  if (!need_index) {
    return commits;
  }
  QA_TRY_ASSIGN(const auto chain, index_chain(store, project, branch));
  if (commits.empty() && chain.empty()) {
    return fail_as(ErrorKind::usage,
                   "unknown branch {}: neither git nor the store's branch index knows it",
                   quote(branch));
  }
  // Continue after the oldest commit git gave that the chain holds; when it holds none, with
  // every commit of the chain git did not give.
  std::size_t start = 0;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (std::any_of(commits.begin(), commits.end(),
                    [&](const BranchCommit& c) { return c.sha == chain[i]; })) {
      start = i + 1;
    }
  }
  std::unordered_set<std::string> seen;
  for (const auto& commit : commits) {
    seen.insert(commit.sha);
  }
  for (std::size_t i = start; i < chain.size() && commits.size() < limit; ++i) {
    if (seen.insert(chain[i]).second) {
      commits.push_back(
          BranchCommit{chain[i], std::nullopt, std::nullopt, CommitSource::branch_index});
    }
  }
  return commits;
}

Expected<BranchHistory> branch_history(const ProjectContext& context, store::Store& store,
                                       const HistoryQuery& query) {
  std::optional<git::Repository> repository;
  if (auto found = git::Repository::discover(context.config.root)) {
    repository.emplace(std::move(*found));
  }
  QA_TRY_ASSIGN(const auto commits,
                branch_commits(repository ? &*repository : nullptr, store, context.config.name,
                               query.branch, history_walk_limit(query.last)));
  std::vector<std::string> keys;
  if (!query.plan.names.empty()) {
    QA_TRY_ASSIGN(const auto plan, make_plan(context, query.plan));
    for (const auto& spec : plan) {
      keys.push_back(spec.key);
    }
  }
  BranchHistory history;
  std::size_t with_results = 0;
  for (const auto& commit : commits) {
    if (with_results >= query.last) {
      break;
    }
    HistoryEntry entry{commit, {}};
    if (keys.empty()) {
      QA_TRY_ASSIGN(entry.records, store.list_runs(context.config.name, commit.sha));
    } else {
      QA_TRY_ASSIGN(auto found, store.get_runs(context.config.name, commit.sha, keys));
      for (auto& record : found) {
        if (record) {
          entry.records.push_back(std::move(*record));
        }
      }
    }
    ++history.examined;
    if (!entry.records.empty()) {
      ++with_results;
    }
    history.entries.push_back(std::move(entry));
  }
  // Gaps older than the oldest commit with results are not part of the history.
  while (!history.entries.empty() && history.entries.back().records.empty()) {
    history.entries.pop_back();
  }
  return history;
}

}  // namespace qa::runner
