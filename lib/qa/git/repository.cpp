#include <qa/git/repository.hpp>

#include <qa/util/env.hpp>
#include <qa/util/time.hpp>

#include <git2.h>

#include <chrono>
#include <ctime>
#include <mutex>

namespace qa::git {

namespace fs = std::filesystem;

namespace {

// libgit2 is initialised once per process and never shut down (other threads may use it).
void ensure_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string last_error() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

struct ReferenceDeleter {
  void operator()(git_reference* ref) const { git_reference_free(ref); }
};
struct ObjectDeleter {
  void operator()(git_object* object) const { git_object_free(object); }
};
struct CommitDeleter {
  void operator()(git_commit* commit) const { git_commit_free(commit); }
};
struct StatusListDeleter {
  void operator()(git_status_list* list) const { git_status_list_free(list); }
};

std::string to_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof(hex), &oid);
  return hex;
}

Expected<git_oid> parse_oid(std::string_view sha) {
  git_oid oid;
  const std::string text(sha);
  if (git_oid_fromstr(&oid, text.c_str()) != 0) {
    return fail("invalid commit sha {}", quote(sha));
  }
  return oid;
}

}  // namespace

void Repository::Deleter::operator()(git_repository* repo) const { git_repository_free(repo); }

Repository::Repository(git_repository* repo, fs::path workdir)
    : m_repo(repo), m_workdir(std::move(workdir)) {}
Repository::~Repository() = default;
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;

Expected<Repository> Repository::discover(const fs::path& path) {
  ensure_initialised();
  git_buf found = GIT_BUF_INIT;
  if (git_repository_discover(&found, path.c_str(), 0, nullptr) != 0) {
    git_buf_dispose(&found);
    return fail_as(ErrorKind::environment,
                   "not a git repository: {} (qatools records results under git commits; run "
                   "\"git init\" and commit, or work inside a clone)",
                   quote(path.string()));
  }
  git_repository* repo = nullptr;
  const int opened = git_repository_open(&repo, found.ptr);
  git_buf_dispose(&found);
  if (opened != 0) {
    return fail_as(ErrorKind::environment, "cannot open the git repository of {}: {}",
                   quote(path.string()), last_error());
  }
  const char* workdir = git_repository_workdir(repo);
  if (workdir == nullptr) {
    git_repository_free(repo);
    return fail_as(ErrorKind::environment, "cannot use the git repository of {}: it is bare",
                   quote(path.string()));
  }
  return Repository(repo, fs::path(workdir));
}

Expected<std::string> Repository::head_sha() const {
  git_oid oid;
  if (git_reference_name_to_id(&oid, m_repo.get(), "HEAD") != 0) {
    return fail("cannot read HEAD of {}: {} (no commit yet?)", quote(m_workdir.string()),
                last_error());
  }
  return to_hex(oid);
}

Expected<std::optional<std::string>> Repository::head_branch() const {
  if (git_repository_head_detached(m_repo.get()) == 1) {
    return std::nullopt;
  }
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, m_repo.get(), "HEAD") != 0) {
    return fail("cannot read HEAD of {}: {}", quote(m_workdir.string()), last_error());
  }
  const std::unique_ptr<git_reference, ReferenceDeleter> head(raw);
  const char* target = git_reference_symbolic_target(head.get());
  if (target == nullptr) {
    return std::nullopt;
  }
  std::string name(target);
  constexpr std::string_view k_prefix = "refs/heads/";
  if (name.starts_with(k_prefix)) {
    name.erase(0, k_prefix.size());
  }
  return std::optional<std::string>(name);
}

Expected<bool> Repository::is_dirty() const {
  git_status_options options;
  git_status_options_init(&options, GIT_STATUS_OPTIONS_VERSION);
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  if (git_status_list_new(&raw, m_repo.get(), &options) != 0) {
    return fail("cannot read the status of {}: {}", quote(m_workdir.string()), last_error());
  }
  const std::unique_ptr<git_status_list, StatusListDeleter> list(raw);
  return git_status_list_entrycount(list.get()) > 0;
}

Expected<std::optional<std::string>> Repository::resolve(std::string_view ref) const {
  const std::string name(ref);
  for (const std::string& candidate : {name, "refs/tags/" + name, "origin/" + name}) {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, m_repo.get(), candidate.c_str()) != 0) {
      continue;
    }
    const std::unique_ptr<git_object, ObjectDeleter> object(raw);
    git_object* peeled_raw = nullptr;
    if (git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_COMMIT) != 0) {
      continue;
    }
    const std::unique_ptr<git_object, ObjectDeleter> peeled(peeled_raw);
    return std::optional<std::string>(to_hex(*git_object_id(peeled.get())));
  }
  return std::optional<std::string>();
}

Expected<std::optional<std::string>> Repository::merge_base(std::string_view a,
                                                            std::string_view b) const {
  QA_TRY_ASSIGN(const git_oid one, parse_oid(a));
  QA_TRY_ASSIGN(const git_oid two, parse_oid(b));
  git_oid base;
  if (git_merge_base(&base, m_repo.get(), &one, &two) != 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(to_hex(base));
}

Expected<std::optional<std::string>> Repository::first_parent(std::string_view sha) const {
  QA_TRY_ASSIGN(const git_oid oid, parse_oid(sha));
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, m_repo.get(), &oid) != 0) {
    return std::optional<std::string>();
  }
  const std::unique_ptr<git_commit, CommitDeleter> commit(raw);
  if (git_commit_parentcount(commit.get()) == 0) {
    return std::optional<std::string>();
  }
  const git_oid* parent = git_commit_parent_id(commit.get(), 0);
  // In a shallow clone the parent's id is known but the commit itself may be missing.
  git_commit* parent_raw = nullptr;
  if (parent == nullptr || git_commit_lookup(&parent_raw, m_repo.get(), parent) != 0) {
    return std::optional<std::string>();
  }
  git_commit_free(parent_raw);
  return std::optional<std::string>(to_hex(*parent));
}

Expected<FirstParentLog> Repository::first_parent_log(std::string_view sha,
                                                      std::size_t limit) const {
  // A walk by hand rather than a git_revwalk: libgit2 1.5 knows no shallow clones, and its walk
  // fails at their edge instead of ending there.
  QA_TRY_ASSIGN(git_oid oid, parse_oid(sha));
  FirstParentLog log;
  while (log.commits.size() < limit) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, m_repo.get(), &oid) != 0) {
      if (log.commits.empty()) {
        return fail("cannot read commit {} of {}: {}", quote(sha), quote(m_workdir.string()),
                    last_error());
      }
      log.shallow_end = true;  // the parent is named but missing
      break;
    }
    const std::unique_ptr<git_commit, CommitDeleter> commit(raw);
    const char* summary = git_commit_summary(commit.get());
    const git_signature* author = git_commit_author(commit.get());
    log.commits.push_back(CommitInfo{to_hex(oid), summary != nullptr ? summary : "",
                                     author != nullptr
                                         ? util::rfc3339(std::chrono::system_clock::from_time_t(
                                               static_cast<std::time_t>(author->when.time)))
                                         : ""});
    if (git_commit_parentcount(commit.get()) == 0) {
      // A libgit2 that reads the shallow file shows the edge's commit without parents.
      log.shallow_end = is_shallow();
      break;
    }
    oid = *git_commit_parent_id(commit.get(), 0);
  }
  return log;
}

bool Repository::is_shallow() const { return git_repository_is_shallow(m_repo.get()) == 1; }

Expected<CommitIdentity> Repository::current_commit() const {
  CommitIdentity identity;
  QA_TRY_ASSIGN(const std::string head, head_sha());
  identity.sha =
      util::env_value("CI_COMMIT_SHA").value_or(util::env_value("GITHUB_SHA").value_or(head));
  QA_TRY_ASSIGN(identity.dirty, is_dirty());
  QA_TRY_ASSIGN(const auto branch, head_branch());
  identity.detached = !branch.has_value();
  for (const char* name : {"CI_COMMIT_REF_NAME", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"}) {
    if (auto value = util::env_value(name)) {
      identity.branch = *value;
      return identity;
    }
  }
  identity.branch = branch;
  return identity;
}

}  // namespace qa::git
