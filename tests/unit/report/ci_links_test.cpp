// ci_links: the commit, merge request and job pages of GitLab and GitHub from their variables.
#include <qa/report/ci_links.hpp>

#include <gtest/gtest.h>

#include "support/scoped_env.hpp"

#include <string>

namespace qa::report {
namespace {

using test::ScopedEnv;

const std::string k_sha(40, 'a');

TEST(CiLinksTest, OutsideCiThereAreNone) {
  const test::ScopedCleanEnvironment clean;
  const ReportLinks links = ci_links(k_sha);
  EXPECT_EQ(links.commit, "");
  EXPECT_EQ(links.merge_request, "");
  EXPECT_EQ(links.job, "");
}

TEST(CiLinksTest, GitLabMergeRequestPipeline) {
  const test::ScopedCleanEnvironment clean;
  const ScopedEnv project("CI_PROJECT_URL", "https://gitlab.example.com/acme/denoise/");
  const ScopedEnv iid("CI_MERGE_REQUEST_IID", "42");
  const ScopedEnv job("CI_JOB_URL", "https://gitlab.example.com/acme/denoise/-/jobs/7");
  const ReportLinks links = ci_links(k_sha);
  EXPECT_EQ(links.commit, "https://gitlab.example.com/acme/denoise/-/commit/" + k_sha);
  EXPECT_EQ(links.merge_request, "https://gitlab.example.com/acme/denoise/-/merge_requests/42");
  EXPECT_EQ(links.job, "https://gitlab.example.com/acme/denoise/-/jobs/7");
}

TEST(CiLinksTest, GitHubPullRequestRun) {
  const test::ScopedCleanEnvironment clean;
  const ScopedEnv server("GITHUB_SERVER_URL", "https://github.com");
  const ScopedEnv repository("GITHUB_REPOSITORY", "acme/denoise");
  const ScopedEnv ref("GITHUB_REF", "refs/pull/17/merge");
  const ScopedEnv run("GITHUB_RUN_ID", "123456");
  const ScopedEnv attempt("GITHUB_RUN_ATTEMPT", "2");
  const ReportLinks links = ci_links(k_sha);
  EXPECT_EQ(links.commit, "https://github.com/acme/denoise/commit/" + k_sha);
  EXPECT_EQ(links.merge_request, "https://github.com/acme/denoise/pull/17");
  EXPECT_EQ(links.job, "https://github.com/acme/denoise/actions/runs/123456/attempts/2");
}

TEST(CiLinksTest, ABranchPipelineHasNoMergeRequest) {
  const test::ScopedCleanEnvironment clean;
  const ScopedEnv server("GITHUB_SERVER_URL", "https://github.com");
  const ScopedEnv repository("GITHUB_REPOSITORY", "acme/denoise");
  const ScopedEnv ref("GITHUB_REF", "refs/heads/main");
  EXPECT_EQ(ci_links(k_sha).merge_request, "");
}

TEST(CiLinksTest, OnlyWebUrlsAndPlainValuesMakeLinks) {
  const test::ScopedCleanEnvironment clean;
  const ScopedEnv project("CI_PROJECT_URL", "javascript:alert(1)");
  EXPECT_EQ(ci_links(k_sha).commit, "");
  const ScopedEnv spaced("CI_PROJECT_URL", "https://gitlab.example.com/a b");
  EXPECT_EQ(ci_links(k_sha).commit, "");
  const ScopedEnv fine("CI_PROJECT_URL", "https://gitlab.example.com/acme/denoise");
  const ScopedEnv iid("CI_MERGE_REQUEST_IID", "42\"><script>");
  const ScopedEnv job("CI_JOB_URL", "https://x/\"><script>");
  const ReportLinks links = ci_links("not a sha");
  EXPECT_EQ(links.commit, "");
  EXPECT_EQ(links.merge_request, "");
  EXPECT_EQ(links.job, "");
}

TEST(CiLinksTest, LinkTargetsAreHttpUrlsOrRelativePaths) {
  for (const char* good : {"history.html", "../main/history.html", "https://qa.example/h.html",
                           "http://host/x?y=1#z"}) {
    EXPECT_TRUE(is_link_target(good)) << good;
  }
  for (const char* bad :
       {"", "javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "/etc/passwd",
        "//evil.example/x", "a b.html", "x\".html", "x<y", "x)(y", "file:///etc/passwd", "x\n"}) {
    EXPECT_FALSE(is_link_target(bad)) << bad;
  }
}

}  // namespace
}  // namespace qa::report
