#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qa::test {

// Set (or, with nothing, unset) the environment variable `name` for the lifetime of the guard;
// its former value, or its absence, comes back afterwards. In-process tests of code that reads
// QA_*, CI and XDG variables use it so that the caller's environment cannot leak in.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::string name, const std::optional<std::string>& value = std::nullopt)
      : m_name(std::move(name)) {
    if (const char* old = std::getenv(m_name.c_str())) {
      m_old = old;
    }
    set(value);
  }
  ~ScopedEnv() { set(m_old); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(m_name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(m_name.c_str());
    }
  }

  std::string m_name;
  std::optional<std::string> m_old;
};

// Unset, for the lifetime of the guard, every variable through which a CI system or the caller
// steers qatools (QA_*, the commit and branch of GitLab and GitHub, shards), so that in-process
// tests see what a developer's shell would show.
class ScopedCleanEnvironment {
 public:
  ScopedCleanEnvironment() {
    for (const char* name : {"QA_STORE",
                             "QA_OUTPUT_ROOT",
                             "QA_CACHE_DIR",
                             "QA_PYTHON_DIR",
                             "CI_COMMIT_SHA",
                             "CI_COMMIT_REF_NAME",
                             "CI_MERGE_REQUEST_DIFF_BASE_SHA",
                             "CI_NODE_INDEX",
                             "CI_NODE_TOTAL",
                             "GITHUB_SHA",
                             "GITHUB_HEAD_REF",
                             "GITHUB_REF_NAME",
                             "GITHUB_BASE_REF",
                             "SLURM_ARRAY_TASK_ID",
                             "SLURM_ARRAY_TASK_COUNT",
                             "CI_PROJECT_URL",
                             "CI_MERGE_REQUEST_IID",
                             "CI_JOB_URL",
                             "GITHUB_SERVER_URL",
                             "GITHUB_REPOSITORY",
                             "GITHUB_REF",
                             "GITHUB_RUN_ID",
                             "GITHUB_RUN_ATTEMPT"}) {
      m_unset.push_back(std::make_unique<ScopedEnv>(name));
    }
  }

 private:
  std::vector<std::unique_ptr<ScopedEnv>> m_unset;
};

}  // namespace qa::test
