// qa-report --comment against the recording forge server (tests/support/forge_server.py): one
// comment created, then edited, on GitLab and GitHub; skips without a token or outside a merge
// request; warnings when the forge refuses or is down; the token in no output.
#include <gtest/gtest.h>

#include <memory>

#include "support/http_servers.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_token = "glpat-TOKEN-s3cr3t-4242";

class Comment : public ToolTest {
 protected:
  // One server for the whole suite; each test uses its own merge request or repository.
  static void SetUpTestSuite() {
    s_dir = std::make_unique<TempDir>();
    json seed = json::object();
    for (int i = 0; i < 100; ++i) {
      seed["gitlab:7:100"].push_back("note " + std::to_string(i) + " by a reviewer");
      seed["github:acme/widgets:5"].push_back("comment " + std::to_string(i) + " by a reviewer");
    }
    seed["gitlab:7:101"] = {"<!-- qa-report:other -->\nanother label's summary"};
    write_text(*s_dir / "seed.json", seed.dump());
    s_server = std::make_unique<ForgeServer>(*s_dir / "forge", k_token, *s_dir / "seed.json");
  }
  static void TearDownTestSuite() {
    s_server.reset();
    s_dir.reset();
  }

  Comment() {
    write_config(R"(project: {name: acme/comment, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run: {command: 'cat {input_path} > {output_dir}/out.txt'}
)");
    write_text(m_project / "batches.yaml", "all:\n  inputs: [a.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / ".gitignore", "output/\n");
    m_repo->commit_all("A");
    const auto batch = run_tool("qa-batch", {"all"});
    EXPECT_EQ(batch.exit_code, 0) << batch.err;
    m_records = batch.out;
  }

  // Run qa-report on the batch's records with `args` and `env`; keep what it printed.
  ProcessResult report(std::vector<std::string> args,
                       const std::map<std::string, std::string>& env) {
    auto full = env;
    full.try_emplace("QA_STORE", m_store.string());
    std::vector<std::string> argv{tool_path("qa-report").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = run_process(argv, m_project, clean_environment(m_home, full), m_records);
    m_printed += result.out + result.err;
    return result;
  }

  static std::map<std::string, std::string> gitlab_env(const std::string& iid) {
    return {{"CI_API_V4_URL", s_server->url("api/v4")},
            {"CI_PROJECT_ID", "7"},
            {"CI_MERGE_REQUEST_IID", iid},
            {"QA_GITLAB_TOKEN", k_token}};
  }

  std::map<std::string, std::string> github_env(const std::string& repository) const {
    write_text(m_tmp / "event.json", R"({"action": "synchronize", "pull_request": {"number": 5}})");
    return {{"GITHUB_API_URL", s_server->url("")},
            {"GITHUB_REPOSITORY", repository},
            {"GITHUB_EVENT_PATH", (m_tmp / "event.json").string()},
            {"GITHUB_REF", "refs/pull/5/merge"},
            {"GITHUB_TOKEN", k_token}};
  }

  // Return the logged requests whose path contains `part`.
  static std::vector<json> requests(const std::string& part) {
    std::vector<json> out;
    for (const auto& request : s_server->logged()) {
      if (request["path"].get<std::string>().find(part) != std::string::npos) {
        out.push_back(request);
      }
    }
    return out;
  }

  // Return the comments of `key` that start with the report's marker, and how many there are.
  static std::vector<json> marked(const std::string& key) {
    std::vector<json> out;
    const json state = s_server->state();
    for (const auto& comment : state.value(key, json::array())) {
      if (comment["body"].get<std::string>().starts_with("<!-- qa-report:default -->")) {
        out.push_back(comment);
      }
    }
    return out;
  }

  void expect_no_token_printed() {
    EXPECT_EQ(m_printed.find(k_token), std::string::npos) << m_printed;
    EXPECT_EQ(m_printed.find("s3cr3t"), std::string::npos) << m_printed;
  }

  static std::unique_ptr<TempDir> s_dir;
  static std::unique_ptr<ForgeServer> s_server;
  std::string m_records;
  std::string m_printed;
};

std::unique_ptr<TempDir> Comment::s_dir;
std::unique_ptr<ForgeServer> Comment::s_server;

TEST_F(Comment, GitLabCreatesThenEditsOneNote) {
  ASSERT_TRUE(s_server->running());
  const fs::path md = m_tmp / "summary.md";
  auto first = report({"--comment", "gitlab", "--md", md.string()}, gitlab_env("100"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("created the merge request comment (note "), std::string::npos)
      << first.err;
  auto notes = marked("gitlab:7:100");
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0]["body"], read_text(md));
  const auto id = notes[0]["id"];
  EXPECT_EQ(s_server->state()["gitlab:7:100"].size(), 101U);

  auto second = report({"--comment", "gitlab", "--md", md.string(), "-v"}, gitlab_env("100"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("updated the merge request comment (note " + id.dump()),
            std::string::npos)
      << second.err;
  notes = marked("gitlab:7:100");
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0]["id"], id);
  const auto all = s_server->state()["gitlab:7:100"];
  ASSERT_EQ(all.size(), 101U);
  EXPECT_EQ(all[0]["body"], "note 0 by a reviewer");
  EXPECT_EQ(all[99]["body"], "note 99 by a reviewer");

  // 100 notes fit one page: 1 GET, then 1 POST; the marker note is then on the second page:
  // 2 GETs (following X-Next-Page), then 1 PUT.
  const auto log = requests("/api/v4/projects/7/merge_requests/100/notes");
  ASSERT_EQ(log.size(), 5U);
  EXPECT_EQ(log[1]["method"], "POST");
  EXPECT_EQ(log[1]["status"], 201);
  EXPECT_EQ(log[3]["method"], "GET");
  EXPECT_NE(log[3]["path"].get<std::string>().find("page=2"), std::string::npos);
  EXPECT_EQ(log[4]["method"], "PUT");
  EXPECT_EQ(log[4]["path"], "/api/v4/projects/7/merge_requests/100/notes/" + id.dump());
  EXPECT_EQ(json::parse(log[4]["body"].get<std::string>())["body"], read_text(md));
  for (const auto& request : log) {
    EXPECT_EQ(request["headers"]["PRIVATE-TOKEN"], k_token);
    EXPECT_FALSE(request["headers"].contains("Authorization"));
  }
  expect_no_token_printed();
  EXPECT_EQ(read_text(md).find(k_token), std::string::npos);
}

TEST_F(Comment, GitHubCreatesThenEditsOneComment) {
  ASSERT_TRUE(s_server->running());
  const auto env = github_env("acme/widgets");
  auto first = report({"--comment", "github"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("created the pull request comment (comment "), std::string::npos)
      << first.err;
  EXPECT_NE(first.out.find("acme/comment"), std::string::npos) << "the text table still";
  auto comments = marked("github:acme/widgets:5");
  ASSERT_EQ(comments.size(), 1U);
  const auto id = comments[0]["id"];

  auto second = report({"--comment", "github"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("updated the pull request comment"), std::string::npos) << second.err;
  comments = marked("github:acme/widgets:5");
  ASSERT_EQ(comments.size(), 1U);
  EXPECT_EQ(comments[0]["id"], id);
  EXPECT_EQ(s_server->state()["github:acme/widgets:5"].size(), 101U);

  auto log = requests("/repos/acme/widgets/issues/");
  ASSERT_EQ(log.size(), 6U);
  EXPECT_EQ(log[2]["method"], "POST");
  EXPECT_EQ(log[5]["method"], "PATCH");
  EXPECT_EQ(log[5]["path"], "/repos/acme/widgets/issues/comments/" + id.dump());
  for (const auto& request : log) {
    EXPECT_EQ(request["headers"]["Authorization"], std::string("Bearer ") + k_token);
    EXPECT_EQ(request["headers"]["Accept"], "application/vnd.github+json");
    EXPECT_EQ(request["headers"]["X-GitHub-Api-Version"], "2022-11-28");
    EXPECT_FALSE(request["headers"].contains("PRIVATE-TOKEN"));
  }
  expect_no_token_printed();
}

TEST_F(Comment, OtherMarkersAreLeftAlone) {
  ASSERT_TRUE(s_server->running());
  auto result = report({"--comment", "gitlab"}, gitlab_env("101"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto notes = s_server->state()["gitlab:7:101"];
  ASSERT_EQ(notes.size(), 2U);
  EXPECT_EQ(notes[0]["body"], "<!-- qa-report:other -->\nanother label's summary");
  EXPECT_EQ(marked("gitlab:7:101").size(), 1U);
}

TEST_F(Comment, WithoutTokenOrOutsideAMergeRequestNothingIsSent) {
  ASSERT_TRUE(s_server->running());
  const std::size_t before = s_server->logged().size();
  auto env = gitlab_env("102");
  env.erase("QA_GITLAB_TOKEN");
  auto result = report({"--comment", "gitlab"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("QA_GITLAB_TOKEN nor GITLAB_TOKEN"), std::string::npos) << result.err;

  env = gitlab_env("102");
  env.erase("CI_MERGE_REQUEST_IID");
  result = report({"--comment", "gitlab"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("CI_MERGE_REQUEST_IID is not set"), std::string::npos) << result.err;

  auto github = github_env("acme/elsewhere");
  github.erase("GITHUB_TOKEN");
  result = report({"--comment", "github"}, github);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("GITHUB_TOKEN is not set"), std::string::npos) << result.err;

  github = github_env("acme/elsewhere");
  github["GITHUB_REF"] = "refs/heads/main";
  write_text(m_tmp / "event.json", R"({"ref": "refs/heads/main"})");
  result = report({"--comment", "github"}, github);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("not a pull request"), std::string::npos) << result.err;
  EXPECT_EQ(s_server->logged().size(), before) << "no request";
  expect_no_token_printed();
}

TEST_F(Comment, RefusedTokenAndDownServerAreWarnings) {
  ASSERT_TRUE(s_server->running());
  const auto without = report({"--fail-on", "failed"}, {});
  auto env = gitlab_env("103");
  env["QA_GITLAB_TOKEN"] = std::string(k_token) + "-wrong";
  auto result = report({"--comment", "gitlab"}, env);
  EXPECT_EQ(result.exit_code, without.exit_code) << result.err;
  EXPECT_NE(result.err.find("qa-report: warning: cannot update the merge request comment: "
                            "cannot GET \""),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("401"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("QA_GITLAB_TOKEN"), std::string::npos) << result.err;
  EXPECT_TRUE(marked("gitlab:7:103").empty());

  env = gitlab_env("103");
  env["CI_API_V4_URL"] = "http://127.0.0.1:9/api/v4";  // discard: nothing listens
  result = report({"--comment", "gitlab", "-v"}, env);
  EXPECT_EQ(result.exit_code, without.exit_code) << result.err;
  EXPECT_NE(result.err.find("warning: cannot update the merge request comment: "),
            std::string::npos)
      << result.err;
  expect_no_token_printed();
}

}  // namespace
}  // namespace qa::test
