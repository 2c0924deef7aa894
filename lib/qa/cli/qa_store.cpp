#include <chrono>
#include <cstddef>
#include <iostream>
#include <string>
#include <string_view>

#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/config.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/reference.hpp>
#include <qa/runner/store_refs.hpp>
#include <qa/store/gc.hpp>
#include <qa/store/stats.hpp>
#include <qa/store/store.hpp>
#include <qa/store/verify.hpp>
#include <qa/util/env.hpp>
#include <qa/util/log.hpp>
#include <qa/util/time.hpp>
#include <qa/util/url.hpp>

namespace qa::cli {

namespace {

// "1 record", "2 records".
std::string counted(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

namespace fs = std::filesystem;

constexpr std::string_view k_examples = R"(Examples:
  qa-store verify                        check every record of every commit of the store
  qa-store verify --commit main -j 16    ... of the commit of the branch main, 16 blobs at once
  qa-store gc --dry-run                  list what gc would remove, remove nothing
  qa-store gc --keep-days 7 --keep v1.0  keep branch heads, v1.0 and a week of commits
  qa-store gc --keep-days 0 --grace 1h   keep branch heads and the last hour only
  qa-store stats --json                  the figures as one JSON object
  qa-store pack --commit main            gather the records of main's commit into one pack
  qa-store tag v1.0 3f2a9c1              name a commit: a milestone (--reference v1.0 anywhere)
  qa-store tag                           list the project's milestones
  qa-store --store /mnt/qa stats         another store than the project's

The store is --store, else QA_STORE, else the storage of the project's qaboard.yaml (when run
inside a project), else ~/.cache/qatools. REF is a sha (or its first digits), a tag or a
branch (git's, else a milestone, else the store's branch index). gc keeps a commit that a
branch index or a milestone names, that --keep names, or whose records are younger than --keep-days (or --grace); blobs are
removed only when no record left names them and they are older than --grace, so a batch
writing meanwhile loses nothing.

pack gathers a commit's single records and packs into one pack, which readers fetch in one read
(a batch writes its pack when it ends; packing serves stores written before packs, or batches
killed before their end).

Exit codes: 0 success, 1 verify found missing or corrupt blobs or damaged records, 2 usage,
configuration or environment error (e.g. the store cannot be read).)";

struct StoreToolOptions {
  CommonOptions common;
  std::vector<std::string> commits;  // verify --commit
  std::size_t jobs = 8;
  int keep_days = 30;
  std::vector<std::string> keep;
  std::string grace = "1d";
  bool dry_run = false;
  bool json = false;
  std::vector<std::string> tag;  // tag NAME [COMMIT]
};

// The store location (and the project, inside one): as the other tools inside a project,
// else --store, QA_STORE, QA_STORAGE or the default folder.
struct Where {
  std::optional<runner::ProjectContext> context;
  std::string location;
};

std::string absolute_location(const std::string& location) {
  if (location.find("://") != std::string::npos) {
    return location;
  }
  return fs::absolute(fs::path(location)).lexically_normal().string();
}

Expected<Where> where(const CommonOptions& options) {
  Where where;
  if (core::find_config(fs::current_path())) {
    QA_TRY_ASSIGN(where.context, project_context(options));
    where.location = where.context->store_location;
    return where;
  }
  if (options.store) {
    where.location = absolute_location(*options.store);
  } else if (auto env = util::env_value("QA_STORE")) {
    where.location = absolute_location(*env);
  } else if (auto qaboard_env = util::env_value("QA_STORAGE")) {
    where.location = absolute_location(*qaboard_env);
  } else {
    QA_TRY_ASSIGN(const auto folder, store::default_store_location());
    where.location = folder.string();
  }
  return where;
}

// The commits `refs` name, each resolved against one listing of the store.
Expected<std::vector<store::CommitId>> resolve_refs(const Where& where, store::Store& store,
                                                    const std::vector<std::string>& refs) {
  std::vector<store::CommitId> commits;
  if (refs.empty()) {
    return commits;
  }
  QA_TRY_ASSIGN(const auto inventory, store.inventory());
  for (const auto& ref : refs) {
    QA_TRY_ASSIGN(const auto found,
                  runner::resolve_store_ref(where.context, store, inventory.commits, ref));
    for (const auto& id : found) {
      if (std::find(commits.begin(), commits.end(), id) == commits.end()) {
        commits.push_back(id);
      }
    }
  }
  return commits;
}

Expected<int> verify(const StoreToolOptions& options) {
  QA_TRY_ASSIGN(const auto at, where(options.common));
  QA_TRY_ASSIGN(auto store, store::Store::open(at.location, store::Access::read_only));
  store::VerifyOptions verify_options;
  verify_options.jobs = options.jobs;
  if (!options.commits.empty()) {
    QA_TRY_ASSIGN(verify_options.commits, resolve_refs(at, store, options.commits));
  }
  QA_TRY_ASSIGN(const auto result, store::verify_store(store, verify_options));
  for (const auto& damaged : result.damaged) {
    std::cout << store::describe(damaged) << "\n";
  }
  for (const auto& bad : result.bad_blobs) {
    std::cout << store::describe(bad) << "\n";
  }
  const std::string summary =
      fmt::format("{} of {}, {} checked", counted(result.records, "record"),
                  counted(result.commits, "commit"), counted(result.blobs, "blob"));
  if (!result.ok()) {
    return fail_as(ErrorKind::check_failed,
                   "store {} is damaged: {} blobs missing or corrupt, {} records unreadable ({})",
                   quote(store.describe()), result.bad_blobs.size(), result.damaged.size(),
                   summary);
  }
  std::cout << "store " << store.describe() << " verified: " << summary << "\n";
  return k_exit_ok;
}

// qa-store tag NAME [COMMIT]: name a commit of the project (HEAD by default); without NAME,
// list the project's milestones.
Expected<int> tag(const StoreToolOptions& options) {
  QA_TRY_ASSIGN(const auto at, where(options.common));
  if (!at.context) {
    return fail_as(ErrorKind::usage,
                   "qa-store tag names a commit of a project: run it inside the project (its "
                   "qaboard.yaml gives the project's name)");
  }
  const auto& context = *at.context;
  if (options.tag.empty()) {
    QA_TRY_ASSIGN(auto store, store::Store::open(at.location, store::Access::read_only));
    QA_TRY_ASSIGN(const auto milestones, store.list_milestones(context.config.name));
    for (const auto& milestone : milestones) {
      std::cout << fmt::format("{}\t{}\t{}\n", milestone.name, milestone.commit,
                               milestone.created_at);
    }
    return k_exit_ok;
  }
  if (options.tag.size() > 2) {
    return fail_as(ErrorKind::usage, "qa-store tag takes NAME and at most one COMMIT, not {}",
                   quote(options.tag[2]));
  }
  QA_TRY(store::check_milestone_name(options.tag[0]));
  QA_TRY_ASSIGN(auto store, store::Store::open(at.location));
  const std::string ref = options.tag.size() == 2 ? options.tag[1] : "HEAD";
  QA_TRY_ASSIGN(const std::string commit, runner::resolve_commit(context, store, ref));
  if (const auto runs = store.list_runs(context.config.name, commit); runs && runs->empty()) {
    util::log::warning(
        "commit {} has no results in the store yet: run its batches before "
        "comparing with {}",
        commit.substr(0, 12), quote(options.tag[0]));
  }
  QA_TRY_ASSIGN(const auto previous, store.get_milestone(context.config.name, options.tag[0]));
  QA_TRY(store.put_milestone(
      context.config.name,
      store::Milestone{options.tag[0], commit, util::rfc3339(std::chrono::system_clock::now())}));
  if (previous && previous->commit != commit) {
    std::cout << fmt::format("milestone {} moved from {} to {}\n", options.tag[0], previous->commit,
                             commit);
  } else {
    std::cout << fmt::format("milestone {} is commit {}\n", options.tag[0], commit);
  }
  return k_exit_ok;
}

Expected<int> pack(const StoreToolOptions& options) {
  QA_TRY_ASSIGN(const auto at, where(options.common));
  QA_TRY_ASSIGN(auto store, store::Store::open(at.location));
  std::vector<store::CommitId> commits;
  if (options.commits.empty()) {
    QA_TRY_ASSIGN(const auto inventory, store.inventory());
    for (const auto& stored : inventory.commits) {
      commits.push_back(store::CommitId{stored.project, stored.commit});
    }
  } else {
    QA_TRY_ASSIGN(commits, resolve_refs(at, store, options.commits));
  }
  std::size_t runs = 0;
  for (const auto& id : commits) {
    QA_TRY_ASSIGN(const std::size_t count, store.pack_commit(id.project, id.commit));
    std::cout << fmt::format("packed commit {} of {}: {} runs\n", id.commit, quote(id.project),
                             count);
    runs += count;
  }
  util::log::info("{} commits packed, {} runs", commits.size(), runs);
  return k_exit_ok;
}

std::string_view kept_by_name(store::KeptBy by) {
  switch (by) {
    case store::KeptBy::branch:
      return "a branch index";
    case store::KeptBy::milestone:
      return "a milestone";
    case store::KeptBy::keep:
      return "--keep";
    case store::KeptBy::age:
      return "age";
  }
  return "";
}

Expected<int> gc(const StoreToolOptions& options) {
  QA_TRY_ASSIGN(const auto grace, util::parse_duration(options.grace));
  if (options.keep_days < 0) {
    return fail_as(ErrorKind::usage, "invalid --keep-days {}: expected 0 or more",
                   options.keep_days);
  }
  QA_TRY_ASSIGN(const auto at, where(options.common));
  QA_TRY_ASSIGN(auto store,
                store::Store::open(at.location, options.dry_run ? store::Access::read_only
                                                                : store::Access::read_write));
  store::GcOptions gc_options;
  gc_options.keep_age = std::chrono::hours(24) * options.keep_days;
  gc_options.grace = grace;
  gc_options.dry_run = options.dry_run ? store::DryRun::yes : store::DryRun::no;
  QA_TRY_ASSIGN(gc_options.keep, resolve_refs(at, store, options.keep));
  QA_TRY_ASSIGN(const auto result, store::collect_garbage(store, gc_options));
  const std::string_view verb = options.dry_run ? "would remove" : "removed";
  for (const auto& [commit, by] : result.kept_commits) {
    util::log::debug("kept commit {} of {}: {}", commit.commit, quote(commit.project),
                     kept_by_name(by));
  }
  for (const auto& commit : result.removed_commits) {
    std::cout << fmt::format("{} commit {} of {} ({} documents, {})\n", verb, commit.commit,
                             quote(commit.project), commit.records + commit.packs,
                             util::human_bytes(commit.bytes));
  }
  for (const auto& blob : result.removed_blobs) {
    std::cout << fmt::format("{} blob {} ({})\n", verb, blob.hash.hex(),
                             util::human_bytes(blob.size));
  }
  std::cout << fmt::format(
      "{} {} commits ({} documents, {}) and {} blobs ({}); kept {} commits and {} blobs\n", verb,
      result.removed_commits.size(), result.removed_records.objects,
      util::human_bytes(result.removed_records.bytes), result.removed_blobs.size(),
      util::human_bytes(result.removed_blob_bytes), result.kept_commits.size(), result.kept_blobs);
  return k_exit_ok;
}

Expected<int> stats(const StoreToolOptions& options) {
  QA_TRY_ASSIGN(const auto at, where(options.common));
  QA_TRY_ASSIGN(auto store, store::Store::open(at.location, store::Access::read_only));
  QA_TRY_ASSIGN(const auto figures, store::store_stats(store));
  if (options.json) {
    auto json = store::to_json(figures);
    json["store"] = util::redact_url(store.describe());
    std::cout << json.dump() << "\n";
    return k_exit_ok;
  }
  std::cout << fmt::format(
      "store        {}\n"
      "projects     {}\n"
      "commits      {}\n"
      "records      {}{}\n"
      "blobs        {}\n"
      "stored       {} ({} bytes)\n"
      "named        {} ({} bytes)\n"
      "dedup ratio  {:.2f}\n",
      util::redact_url(store.describe()), figures.projects, figures.commits, figures.records,
      figures.damaged == 0 ? std::string() : fmt::format(" ({} damaged)", figures.damaged),
      figures.blobs, util::human_bytes(figures.stored_bytes), figures.stored_bytes,
      util::human_bytes(figures.named_bytes), figures.named_bytes, figures.dedup_ratio());
  return k_exit_ok;
}

}  // namespace

int qa_store(int argc, char** argv) {
  StoreToolOptions options;
  auto app = make_app("qa-store", "Keep a store healthy: verify, gc, stats, pack, tag", k_examples);
  app->add_flag("-v,--verbose", options.common.verbose, "Print debug logs on stderr");
  app->add_option("--store", options.common.store,
                  "Store location: a folder or http(s)://host/prefix (default: QA_STORE, "
                  "qaboard.yaml's storage, else ~/.cache/qatools)");
  app->require_subcommand(1);
  // `qa-store gc --help` lists gc's options, and common ones go before or after the subcommand.

  auto* verify_app = app->add_subcommand(
      "verify", "Check that every blob the records name is stored and hashes to its name");
  verify_app
      ->add_option("--commit", options.commits,
                   "Check the records of REF only (repeatable; default: every commit)")
      ->allow_extra_args(false);
  verify_app->add_option("-j,--jobs", options.jobs, "Blobs re-hashed at once (default 8)")
      ->check(CLI::Range(1, 1024));

  auto* gc_app = app->add_subcommand("gc", "Remove the records of old commits, then unnamed blobs");
  gc_app->add_option("--keep-days", options.keep_days,
                     "Keep commits whose records are younger than D days (default 30)");
  gc_app->add_option("--keep", options.keep, "Keep the commit REF (repeatable)")
      ->allow_extra_args(false);
  gc_app->add_option("--grace", options.grace,
                     "Keep blobs (and commits) younger than DURATION: 1d, 12h, 30m, 0s "
                     "(default 1d)");
  gc_app->add_flag("--dry-run", options.dry_run, "List what would be removed, remove nothing");

  auto* stats_app = app->add_subcommand("stats", "Count records, commits, blobs and bytes");
  stats_app->add_flag("--json", options.json, "Print the figures as one JSON object");
  auto* pack_app =
      app->add_subcommand("pack", "Gather each commit's single records and packs into one pack");
  pack_app
      ->add_option("--commit", options.commits,
                   "Pack the commit REF only (repeatable; default: every commit)")
      ->allow_extra_args(false);

  auto* tag_app = app->add_subcommand(
      "tag", "Name a commit (a milestone: --reference NAME, kept by gc); list them without NAME");
  tag_app->add_option("name_commit", options.tag, "NAME [COMMIT] (default: HEAD)");

  for (auto* sub : {verify_app, gc_app, stats_app, pack_app, tag_app}) {
    sub->fallthrough();
  }

  return run_tool("qa-store", *app, &options.common, argc, argv, [&]() -> Expected<int> {
    if (verify_app->parsed()) {
      return verify(options);
    }
    if (gc_app->parsed()) {
      return gc(options);
    }
    if (pack_app->parsed()) {
      return pack(options);
    }
    if (tag_app->parsed()) {
      return tag(options);
    }
    return stats(options);
  });
}

}  // namespace qa::cli
