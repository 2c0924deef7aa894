#include <qa/runner/reference.hpp>

#include <algorithm>

#include <qa/core/run_key.hpp>
#include <qa/git/repository.hpp>
#include <qa/util/env.hpp>
#include <qa/util/strings.hpp>

namespace qa::runner {

namespace {

std::string short_sha(std::string_view sha) { return std::string(sha.substr(0, 12)); }

// The milestone `ref` of the project in `store`, or nothing (also when `ref` cannot be a
// milestone name, say "origin/main").
Expected<std::optional<store::Milestone>> find_milestone(const ProjectContext& context,
                                                         store::Store& store,
                                                         std::string_view ref) {
  if (!store::check_milestone_name(ref)) {
    return std::optional<store::Milestone>();
  }
  return store.get_milestone(context.config.name, ref);
}

Expected<bool> has_results(const ProjectContext& context, store::Store& store,
                           const std::string& commit, const std::vector<std::string>& keys) {
  if (keys.empty()) {
    QA_TRY_ASSIGN(const auto runs, store.list_runs(context.config.name, commit));
    return !runs.empty();
  }
  // A batch writes each record alone as well as in its pack: the single record of the first key
  // answers for most commits with results without decoding a pack of 100,000 runs, which the
  // reference's records are read from right after.
  QA_TRY_ASSIGN(const bool single, store.has_single_run(context.config.name, commit, keys.front()));
  if (single) {
    return true;
  }
  // Else the first key answers at once for a commit with results; the others are asked in
  // parallel.
  QA_TRY_ASSIGN(const auto first, store.get_run(context.config.name, commit, keys.front()));
  if (first || keys.size() == 1) {
    return first.has_value();
  }
  QA_TRY_ASSIGN(const auto records,
                store.get_runs(context.config.name, commit,
                               std::vector<std::string>(keys.begin() + 1, keys.end())));
  return std::any_of(records.begin(), records.end(),
                     [](const auto& record) { return record.has_value(); });
}

tl::unexpected<Error> no_results(const ReferenceChoice& choice, std::string_view why) {
  std::vector<std::string> tried;
  for (const auto& sha : choice.tried) {
    tried.push_back(short_sha(sha));
  }
  Error error{fmt::format("no reference results: {}; tried {}; produce them by running the batch "
                          "at {} (e.g. in the pipeline of that commit)",
                          why, tried.empty() ? std::string("no commit") : util::join(tried, ", "),
                          tried.empty() ? std::string("the reference") : tried.front()),
              ErrorKind::no_reference};
  return tl::unexpected<Error>(std::move(error));
}

// The reference from the store's branch index of `branch`, for when git cannot answer.
Expected<ReferenceChoice> from_branch_index(const ProjectContext& context, store::Store& store,
                                            ReferenceChoice choice, const std::string& branch,
                                            std::string_view why) {
  QA_TRY_ASSIGN(const auto index, store.get_branch(context.config.name, branch));
  if (!index) {
    return no_results(
        choice, fmt::format("{}, and the store has no branch index for {}", why, quote(branch)));
  }
  if (choice.requested == "auto" &&
      (index->commit == context.commit.sha || index->commit == context.commit.key())) {
    // The index was updated by this commit's own batch: a commit is never its own reference.
    return no_results(choice, fmt::format("{}, and the store's branch index of {} names this "
                                          "commit itself",
                                          why, quote(branch)));
  }
  choice.commit = index->commit;
  choice.tried.push_back(index->commit);
  choice.reason = fmt::format("{}: used the store's branch index of {} ({}, updated {})", why,
                              quote(branch), short_sha(index->commit), index->updated_at);
  return choice;
}

}  // namespace

nlohmann::json to_json(const ReferenceChoice& choice) {
  return nlohmann::json{{"requested", choice.requested},
                        {"commit", choice.commit},
                        {"reason", choice.reason},
                        {"tried", choice.tried}};
}

ReferenceRequest reference_request(std::string ref, int max_depth,
                                   const std::vector<core::RunRecord>& records) {
  ReferenceRequest request;
  request.ref = std::move(ref);
  request.max_depth = max_depth;
  for (const auto& record : records) {
    request.keys.push_back(record.key);
  }
  return request;
}

Expected<ReferenceChoice> resolve_reference(const ProjectContext& context, store::Store& store,
                                            const ReferenceRequest& request) {
  ReferenceChoice choice;
  choice.requested = request.ref;
  QA_TRY_ASSIGN(const auto repository, git::Repository::discover(context.config.root));

  if (request.ref != "auto") {
    QA_TRY_ASSIGN(const auto sha, repository.resolve(request.ref));
    if (sha) {
      choice.commit = *sha;
      choice.tried.push_back(*sha);
      choice.reason = fmt::format("{} was given", quote(request.ref));
      return choice;
    }
    QA_TRY_ASSIGN(const auto milestone, find_milestone(context, store, request.ref));
    if (milestone) {
      choice.commit = milestone->commit;
      choice.tried.push_back(milestone->commit);
      choice.reason = fmt::format("the milestone {} of the store", quote(request.ref));
      return choice;
    }
    QA_TRY_ASSIGN(const auto index, store.get_branch(context.config.name, request.ref));
    if (!index) {
      return fail(
          "unknown reference {}: not a sha, tag or branch of the repository, nor a milestone "
          "or a branch of the store",
          quote(request.ref));
    }
    return from_branch_index(context, store, choice, request.ref,
                             fmt::format("git does not know {}", quote(request.ref)));
  }

  const std::string& head = context.commit.sha;
  const std::string base_branch =
      util::env_value("GITHUB_BASE_REF").value_or(context.config.reference_branch);
  std::optional<std::string> start;
  std::string start_reason;
  if (const auto diff_base = util::env_value("CI_MERGE_REQUEST_DIFF_BASE_SHA")) {
    start = *diff_base;
    start_reason = "CI_MERGE_REQUEST_DIFF_BASE_SHA";
  } else if (context.commit.branch == base_branch) {
    QA_TRY_ASSIGN(start, repository.first_parent(head));
    start_reason = fmt::format("the first parent of {} on the reference branch {}", short_sha(head),
                               quote(base_branch));
  } else {
    QA_TRY_ASSIGN(const auto branch_sha, repository.resolve(base_branch));
    if (branch_sha) {
      QA_TRY_ASSIGN(start, repository.merge_base(head, *branch_sha));
      start_reason =
          fmt::format("the merge-base of {} and {}", short_sha(head), quote(base_branch));
    }
  }
  if (!start) {
    std::string why;
    if (repository.is_shallow()) {
      why = "the clone is shallow: git has no merge-base";
    } else if (context.commit.branch == base_branch) {
      why = fmt::format("{} is the first commit of the reference branch {}: it has no parent",
                        short_sha(head), quote(base_branch));
    } else {
      why = fmt::format("git finds no merge-base with {}", quote(base_branch));
    }
    return from_branch_index(context, store, choice, base_branch, why);
  }

  std::optional<std::string> commit = start;
  for (int depth = 0; commit && depth <= request.max_depth; ++depth) {
    choice.tried.push_back(*commit);
    QA_TRY_ASSIGN(const bool found, has_results(context, store, *commit, request.keys));
    if (found) {
      choice.commit = *commit;
      choice.reason = depth == 0 ? fmt::format("{} ({})", start_reason, short_sha(*commit))
                                 : fmt::format(
                                       "{} ({}) had no results; {} first parent(s) "
                                       "back, {} has",
                                       start_reason, short_sha(*start), depth, short_sha(*commit));
      return choice;
    }
    QA_TRY_ASSIGN(commit, repository.first_parent(*commit));
  }
  if (!commit && repository.is_shallow()) {
    return from_branch_index(context, store, choice, base_branch,
                             "the clone is shallow: git has no older commits");
  }
  return no_results(choice, fmt::format("no commit from {} back {} first parents has results",
                                        start_reason, request.max_depth));
}

Expected<std::string> resolve_commit(const ProjectContext& context, store::Store& store,
                                     std::string_view ref) {
  if (ref.empty() || ref == "HEAD") {
    return context.commit.key();
  }
  if (core::check_commit_key(ref)) {
    return std::string(ref);  // a full sha, possibly -dirty: as stored
  }
  QA_TRY_ASSIGN(const auto repository, git::Repository::discover(context.config.root));
  QA_TRY_ASSIGN(const auto sha, repository.resolve(ref));
  if (sha) {
    return *sha;
  }
  QA_TRY_ASSIGN(const auto milestone, find_milestone(context, store, ref));
  if (milestone) {
    return milestone->commit;
  }
  QA_TRY_ASSIGN(const auto index, store.get_branch(context.config.name, ref));
  if (index) {
    return index->commit;
  }
  return fail(
      "unknown commit {}: git does not know it and the store has no milestone or branch of that "
      "name",
      quote(ref));
}

}  // namespace qa::runner
