#include <qa/http/forge_target.hpp>

#include <gtest/gtest.h>

#include <memory>

#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::http {
namespace {

using report::Forge;

constexpr const char* k_token = "glpat-s3cr3t-xyz";

// Unset every variable the forge targets read, for the lifetime of the guard.
class ForgeEnvironment {
 public:
  ForgeEnvironment() {
    for (const char* name :
         {"CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "QA_GITLAB_TOKEN",
          "GITLAB_TOKEN", "CI_SERVER_TLS_CA_FILE", "GITHUB_API_URL", "GITHUB_REPOSITORY",
          "GITHUB_EVENT_PATH", "GITHUB_REF", "GITHUB_TOKEN"}) {
      m_unset.push_back(std::make_unique<test::ScopedEnv>(name));
    }
  }
  void set(const std::string& name, const std::string& value) {
    m_set.push_back(std::make_unique<test::ScopedEnv>(name, value));
  }

 private:
  std::vector<std::unique_ptr<test::ScopedEnv>> m_unset;
  std::vector<std::unique_ptr<test::ScopedEnv>> m_set;
};

TEST(ForgeTarget, PullRequestFromEvent) {
  EXPECT_EQ(pull_request_from_event(R"({"pull_request": {"number": 42}, "number": 42})"), 42);
  EXPECT_EQ(pull_request_from_event(R"({"issue": {"number": 7, "pull_request": {}}})"), 7);
  EXPECT_EQ(pull_request_from_event(R"({"issue": {"number": 7}})"), std::nullopt)
      << "an issue that is not a pull request";
  EXPECT_EQ(pull_request_from_event(R"({"ref": "refs/heads/main"})"), std::nullopt);
  EXPECT_EQ(pull_request_from_event(R"({"pull_request": {"number": "42"}})"), std::nullopt);
  EXPECT_EQ(pull_request_from_event(R"({"pull_request": {"number": -1}})"), std::nullopt);
  EXPECT_EQ(pull_request_from_event("not json"), std::nullopt);
  EXPECT_EQ(pull_request_from_event("[1]"), std::nullopt);
}

TEST(ForgeTarget, PullRequestFromRef) {
  EXPECT_EQ(pull_request_from_ref("refs/pull/12/merge"), 12);
  EXPECT_EQ(pull_request_from_ref("refs/pull/12/head"), 12);
  EXPECT_EQ(pull_request_from_ref("refs/heads/main"), std::nullopt);
  EXPECT_EQ(pull_request_from_ref("refs/pull/x/merge"), std::nullopt);
  EXPECT_EQ(pull_request_from_ref("refs/pull/12"), std::nullopt);
  EXPECT_EQ(pull_request_from_ref("refs/pull/12/merge/x"), std::nullopt);
  EXPECT_EQ(pull_request_from_ref("refs/pull/0/merge"), std::nullopt);
}

TEST(ForgeTarget, LinkHeader) {
  EXPECT_TRUE(link_has_next(
      R"(<https://api.github.com/repositories/1/issues/5/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues/5/comments?per_page=100&page=3>; rel="last")"));
  EXPECT_TRUE(link_has_next(R"(<https://x/a?p=1,2>; rel="prev", <https://x/b>;REL="Next")"));
  EXPECT_TRUE(link_has_next(R"(<https://x/b>; rel=next)"));
  EXPECT_TRUE(link_has_next(R"(<https://x/b>; rel="last next")"));
  EXPECT_FALSE(
      link_has_next(R"(<https://x/c?page=1>; rel="first", <https://x/c?page=1>; rel="prev")"));
  EXPECT_FALSE(link_has_next(R"(<https://x/next>; rel="prev")"));
  EXPECT_FALSE(link_has_next(R"(<https://x/rel="next">; rel="last")"));
  EXPECT_FALSE(link_has_next(""));
  EXPECT_FALSE(link_has_next("garbage rel=\"next\""));
}

TEST(ForgeTarget, Marker) {
  const std::string marker = "<!-- qa-report:nightly -->";
  EXPECT_TRUE(has_marker("<!-- qa-report:nightly -->\n## qa-report", marker));
  EXPECT_TRUE(has_marker("\r\n  <!-- qa-report:nightly -->", marker));
  EXPECT_FALSE(has_marker("<!-- qa-report:nightly,perf -->\n", marker));
  EXPECT_FALSE(has_marker("quoting: <!-- qa-report:nightly -->", marker));
  EXPECT_FALSE(has_marker("", marker));
  EXPECT_FALSE(has_marker("anything", ""));
}

TEST(ForgeTarget, CommentPages) {
  const auto page = parse_comment_page(
      R"([{"id": 3, "body": "a"}, {"id": "4", "body": "b"}, {"id": 5}, 7,
          {"id": 9007199254740993, "body": "big", "system": true}])");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->size(), 2U);
  EXPECT_EQ((*page)[0].id, 3);
  EXPECT_EQ((*page)[0].body, "a");
  EXPECT_EQ((*page)[1].id, 9007199254740993);
  EXPECT_FALSE(parse_comment_page(R"({"message": "404 Not found"})"));
  EXPECT_FALSE(parse_comment_page("<html>"));
}

TEST(ForgeTarget, GitLabFromTheEnvironment) {
  ForgeEnvironment env;
  auto target = forge_target_from_environment(Forge::gitlab);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("CI_MERGE_REQUEST_IID is not set"), std::string::npos);
  env.set("CI_MERGE_REQUEST_IID", "12");
  env.set("CI_PROJECT_ID", "345");
  env.set("CI_API_V4_URL", "https://gitlab.example.com/api/v4/");
  target = forge_target_from_environment(Forge::gitlab);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("QA_GITLAB_TOKEN nor GITLAB_TOKEN"), std::string::npos);
  env.set("GITLAB_TOKEN", "other");
  env.set("QA_GITLAB_TOKEN", k_token);
  target = forge_target_from_environment(Forge::gitlab);
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->api_url, "https://gitlab.example.com/api/v4");
  EXPECT_EQ(target->comments_path, "projects/345/merge_requests/12/notes");
  EXPECT_EQ(target->comment_path_base, "projects/345/merge_requests/12/notes");
  EXPECT_EQ(target->where, "merge request !12");
  EXPECT_EQ(target->token_variable, "QA_GITLAB_TOKEN");
  EXPECT_EQ(target->headers, std::vector<std::string>{std::string("PRIVATE-TOKEN: ") + k_token});

  env.set("QA_GITLAB_TOKEN", std::string(k_token) + "\nX-Injected: 1");
  target = forge_target_from_environment(Forge::gitlab);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("QA_GITLAB_TOKEN holds a control character"),
            std::string::npos);
  EXPECT_EQ(target.error().message.find(k_token), std::string::npos);

  env.set("QA_GITLAB_TOKEN", k_token);
  env.set("CI_API_V4_URL", "https://user:pw@gitlab.example.com/api/v4");
  target = forge_target_from_environment(Forge::gitlab);
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().message.find("pw"), std::string::npos) << target.error().message;
  env.set("CI_PROJECT_ID", "group/project");
  EXPECT_FALSE(forge_target_from_environment(Forge::gitlab));
}

TEST(ForgeTarget, GitHubFromTheEnvironment) {
  ForgeEnvironment env;
  test::TempDir tmp;
  env.set("GITHUB_REF", "refs/heads/main");
  auto target = forge_target_from_environment(Forge::github);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("not a pull request"), std::string::npos);

  test::write_text(tmp / "event.json", R"({"pull_request": {"number": 5}})");
  env.set("GITHUB_EVENT_PATH", (tmp / "event.json").string());
  env.set("GITHUB_REPOSITORY", "acme/widgets");
  target = forge_target_from_environment(Forge::github);
  ASSERT_FALSE(target);
  EXPECT_NE(target.error().message.find("GITHUB_TOKEN is not set"), std::string::npos);
  env.set("GITHUB_TOKEN", k_token);
  target = forge_target_from_environment(Forge::github);
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->api_url, "https://api.github.com");
  EXPECT_EQ(target->comments_path, "repos/acme/widgets/issues/5/comments");
  EXPECT_EQ(target->comment_path_base, "repos/acme/widgets/issues/comments");
  EXPECT_EQ(target->where, "pull request #5");
  ASSERT_FALSE(target->headers.empty());
  EXPECT_EQ(target->headers.front(), std::string("Authorization: Bearer ") + k_token);

  // Without an event file, the ref of a pull request's merge commit.
  env.set("GITHUB_EVENT_PATH", (tmp / "missing.json").string());
  env.set("GITHUB_REF", "refs/pull/8/merge");
  env.set("GITHUB_API_URL", "http://127.0.0.1:9");
  target = forge_target_from_environment(Forge::github);
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->comments_path, "repos/acme/widgets/issues/8/comments");
  EXPECT_EQ(target->api_url, "http://127.0.0.1:9");

  env.set("GITHUB_REPOSITORY", "acme/widgets/../x");
  EXPECT_FALSE(forge_target_from_environment(Forge::github));
}

}  // namespace
}  // namespace qa::http
