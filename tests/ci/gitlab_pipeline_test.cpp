// The GitLab template (ci-templates/gitlab/qatools.yml) run by a real GitLab client,
// gitlab-ci-local 4.73.0 (tests/ci, npm), on the denoise example's own .gitlab-ci.yml: shell
// executor, the template included with `include: local`, the built tools on PATH and a real
// nginx WebDAV store shared by every job. Jobs are judged by gitlab-ci-local's summary lines
// (` PASS | FAIL | WARN  <job>`) and by what they left: records in the store, artifacts.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/git_fixture.hpp"
#include "support/http_servers.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_source = QA_SOURCE_DIR;
constexpr const char* k_gitlab_token = "glpat-pipeline-s3cr3t-7151";

// The jobs of one pipeline, by the status of gitlab-ci-local's summary: job name -> PASS, FAIL
// or WARN (a job allowed to fail that failed).
using JobStatus = std::map<std::string, std::string>;

struct Pipeline {
  ProcessResult process;
  JobStatus jobs;
  [[nodiscard]] std::string log() const { return process.out + process.err; }
};

std::string strip_ansi(const std::string& text) {
  static const std::regex k_escape("\x1b\\[[0-9;]*m");
  return std::regex_replace(text, k_escape, "");
}

JobStatus summary_of(const std::string& output) {
  // ` WARN  qa-bitacc        pre_script`: the status, the job name (single spaces inside), and
  // after a wider gap what an allowed failure failed in.
  static const std::regex k_line(R"(^ (PASS|FAIL|WARN) +(\S+(?: \S+)*)(?: {2,}.*)?$)");
  JobStatus jobs;
  std::istringstream lines(strip_ansi(output));
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, k_line)) {
      jobs[match[2]] = match[1];
    }
  }
  return jobs;
}

std::vector<json> read_records(const fs::path& file) {
  std::vector<json> records;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      records.push_back(json::parse(line));
    }
  }
  return records;
}

class GitlabPipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_server_dir = new TempDir();
    s_store = new NginxServer(s_server_dir->path() / "store");
    s_forge = new ForgeServer(s_server_dir->path() / "forge", k_gitlab_token);
  }
  static void TearDownTestSuite() {
    delete s_forge;
    delete s_store;
    delete s_server_dir;
  }

  GitlabPipeline() : m_project(m_tmp / "denoise"), m_home(m_tmp / "home") {
    fs::create_directories(m_home);
    const fs::path example = k_source / "examples/denoise";
    fs::create_directories(m_project / "ci-templates/gitlab");
    for (const char* name :
         {"qaboard.yaml", "qa", "src", "CMakeLists.txt", ".gitignore", ".gitlab-ci.yml"}) {
      fs::copy(example / name, m_project / name, fs::copy_options::recursive);
    }
    fs::copy(k_source / "ci-templates/gitlab/qatools.yml",
             m_project / "ci-templates/gitlab/qatools.yml");
    m_repo = std::make_unique<GitRepo>(m_project);
    // gitlab-ci-local reads the project's path from the origin remote, and keeps its state in
    // .gitlab-ci-local/ (with a .gitignore that `git add -A` would commit).
    m_repo->git("remote add origin https://gitlab.example.com/examples/denoise.git");
    write_text(m_project / ".git/info/exclude", ".gitlab-ci-local/\n");
  }

  // Commit everything on the current branch and point origin's branch at it.
  std::string commit(const std::string& message) {
    const std::string sha = m_repo->commit_all(message);
    const std::string branch = m_repo->git("rev-parse --abbrev-ref HEAD");
    m_repo->git("update-ref refs/remotes/origin/" + branch + " HEAD");
    m_repo->git("symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
    return sha;
  }

  // Run the project's pipeline with `variables` (`--variable K=V`) and `extra` arguments.
  Pipeline run_pipeline(const std::map<std::string, std::string>& variables,
                        const std::vector<std::string>& extra = {}) const {
    const fs::path client = k_source / "tests/ci/node_modules/.bin/gitlab-ci-local";
    EXPECT_TRUE(fs::exists(client)) << client << " is missing: run scripts/bootstrap";
    std::vector<std::string> argv{client.string(), "--shell-isolation", "--no-artifacts-to-source",
                                  "--variable", "QA_STORE=" + s_store->url("store"),
                                  // a faster build of the example's programs
                                  "--variable", "CMAKE_BUILD_TYPE=Debug"};
    for (const auto& [name, value] : variables) {
      argv.insert(argv.end(), {"--variable", name + "=" + value});
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    const std::string path =
        tool_path("qa-run").parent_path().string() + ":" + clean_environment(m_home).at("PATH");
    Pipeline pipeline;
    pipeline.process = run_process(argv, m_project, clean_environment(m_home, {{"PATH", path}}));
    pipeline.jobs = summary_of(pipeline.process.out + pipeline.process.err);
    return pipeline;
  }

  // The artifacts a job left (gitlab-ci-local keeps them under its state folder).
  [[nodiscard]] fs::path artifacts(const std::string& job) const {
    return m_project / ".gitlab-ci-local/artifacts" / job;
  }

  // The records the qa-batch shards kept as artifacts, and the shard files that held them.
  [[nodiscard]] std::vector<json> shard_records(std::set<std::string>* files = nullptr) const {
    std::vector<json> records;
    for (const auto& entry :
         fs::recursive_directory_iterator(m_project / ".gitlab-ci-local/artifacts")) {
      const fs::path path = entry.path();
      if (path.parent_path().filename() == "qa-records" && path.extension() == ".jsonl" &&
          path.string().find("/qa-batch") != std::string::npos) {
        if (files != nullptr) {
          files->insert(path.filename().string());
        }
        for (auto& record : read_records(path)) {
          records.push_back(std::move(record));
        }
      }
    }
    return records;
  }

  // The stored records of `commit`, read back from the store by qa-get.
  [[nodiscard]] std::vector<json> stored_records(const std::string& commit) const {
    const auto result = run_process({tool_path("qa-get").string(), "runs", "--commit", commit,
                                     "--store", s_store->url("store")},
                                    m_project, clean_environment(m_home));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<json> records;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
      records.push_back(json::parse(line));
    }
    return records;
  }

  static std::set<std::string> keys_of(const std::vector<json>& records) {
    std::set<std::string> keys;
    for (const auto& record : records) {
      keys.insert(record.at("key").get<std::string>());
    }
    return keys;
  }

  static TempDir* s_server_dir;
  static NginxServer* s_store;
  static ForgeServer* s_forge;  // the GitLab API, for the merge request comment
  TempDir m_tmp;
  fs::path m_project;
  fs::path m_home;
  std::unique_ptr<GitRepo> m_repo;
};

TempDir* GitlabPipeline::s_server_dir = nullptr;
NginxServer* GitlabPipeline::s_store = nullptr;
ForgeServer* GitlabPipeline::s_forge = nullptr;

// The example's pipeline on main, then a merge request whose change alters the outputs.
TEST_F(GitlabPipeline, ShardsRecordEveryRunAndTheGateStopsAMergeRequestThatChangesOutputs) {
  const std::string first = commit("the denoiser at strength 0.5");

  // 1. The first pipeline on main: nothing to compare with yet.
  const Pipeline main = run_pipeline({});
  const std::string main_log = main.log();
  EXPECT_EQ(main.jobs, (JobStatus{{"build", "PASS"},
                                  {"qa-batch: [1/3]", "PASS"},
                                  {"qa-batch: [2/3]", "PASS"},
                                  {"qa-batch: [3/3]", "PASS"},
                                  {"qa-bitacc", "WARN"},
                                  {"qa-report", "PASS"}}))
      << main_log;
  EXPECT_EQ(main.process.exit_code, 0) << main_log;
  EXPECT_NE(main_log.find("qa-bitacc: warning: no reference results"), std::string::npos)
      << main_log;

  // Every run of the plan was recorded once, by exactly one of the three shards, in the store.
  const auto planned =
      run_process({tool_path("qa-batch").string(), "nightly", "--list"},
                  m_project / ".gitlab-ci-local/builds/build", clean_environment(m_home));
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  std::set<std::string> plan;
  std::istringstream plan_lines(planned.out);
  for (std::string line; std::getline(plan_lines, line);) {
    plan.insert(json::parse(line).at("key").get<std::string>());
  }
  ASSERT_GE(plan.size(), 8U);
  std::set<std::string> shard_files;
  const auto records = shard_records(&shard_files);
  EXPECT_EQ(shard_files,
            (std::set<std::string>{"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl"}));
  EXPECT_EQ(records.size(), plan.size()) << "a run recorded twice, or missing";
  EXPECT_EQ(keys_of(records), plan);
  for (const auto& record : records) {
    EXPECT_EQ(record.at("commit"), first);
    EXPECT_EQ(record.at("branch"), "main");
    EXPECT_EQ(record.at("status"), "ok") << record.dump();
  }
  EXPECT_EQ(keys_of(stored_records(first)), plan);

  // 2. A merge request that changes the outputs: the gate fails, the report keeps its files and
  // comments on the merge request.
  m_repo->git("checkout -q -b stronger");
  std::string config = read_text(m_project / "qaboard.yaml");
  const std::string from = "params: {strength: 0.5, sigma: 2}";
  ASSERT_NE(config.find(from), std::string::npos);
  config.replace(config.find(from), from.size(), "params: {strength: 0.6, sigma: 2}");
  write_text(m_project / "qaboard.yaml", config);
  const std::string change = commit("stronger denoising");
  fs::remove_all(m_project / ".gitlab-ci-local/artifacts");
  const Pipeline mr =
      run_pipeline({{"CI_PIPELINE_SOURCE", "merge_request_event"},
                    {"CI_MERGE_REQUEST_IID", "12"},
                    {"CI_MERGE_REQUEST_DIFF_BASE_SHA", first},
                    {"CI_API_V4_URL", s_forge->url("api/v4")},
                    {"CI_PROJECT_ID", "42"},
                    {"QA_GITLAB_TOKEN", k_gitlab_token}},
                   {"--ignore-predefined-vars", "CI_PIPELINE_SOURCE,CI_API_V4_URL,CI_PROJECT_ID"});
  const std::string mr_log = mr.log();
  EXPECT_EQ(mr.jobs.at("qa-bitacc"), "FAIL") << mr_log;
  EXPECT_NE(mr_log.find("qa-bitacc: failed: outputs differ from the reference's"),
            std::string::npos)
      << mr_log;
  EXPECT_NE(mr_log.find(first.substr(0, 12)), std::string::npos)
      << "the log names the reference commit\n"
      << mr_log;
  EXPECT_NE(mr.process.exit_code, 0);
  ASSERT_TRUE(mr.jobs.count("qa-report")) << mr_log;
  for (const auto& record : shard_records()) {
    EXPECT_EQ(record.at("commit"), change);
  }
  const fs::path report = artifacts("qa-report") / "qa-report";
  for (const char* file : {"index.html", "summary.md", "junit.xml", "metrics.txt", "report.json"}) {
    EXPECT_TRUE(fs::is_regular_file(report / file)) << file << " is missing in " << report;
  }
  const json comparison = json::parse(read_text(report / "report.json"));
  EXPECT_EQ(comparison.at("reference").at("commit"), first) << comparison.at("reference");
  const std::string junit = read_text(report / "junit.xml");
  EXPECT_NE(junit.find("<testsuites"), std::string::npos);
  EXPECT_NE(junit.find("<failure"), std::string::npos) << "a changed output fails its testcase";
  const std::string metrics = read_text(report / "metrics.txt");
  EXPECT_TRUE(metrics.ends_with("# EOF\n")) << metrics;
  EXPECT_NE(read_text(report / "summary.md").find("<!-- qa-report:"), std::string::npos);
  EXPECT_NE(mr_log.find("<!-- qa-report:"), std::string::npos) << "the summary is in the job log";
  EXPECT_NE(read_text(report / "index.html").find(change.substr(0, 12)), std::string::npos);

  // The merge request got the summary as its one comment; the token was sent, never shown.
  const json notes = s_forge->state().value("gitlab:42:12", json::array());
  ASSERT_EQ(notes.size(), 1U) << s_forge->state().dump() << "\n" << mr_log;
  EXPECT_EQ(notes[0].at("body"), read_text(report / "summary.md"));
  EXPECT_NE(mr_log.find("created the merge request comment"), std::string::npos) << mr_log;
  EXPECT_EQ(mr_log.find(k_gitlab_token), std::string::npos) << "the token is printed";
  for (const auto& entry : fs::recursive_directory_iterator(report)) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_text(entry.path()).find(k_gitlab_token), std::string::npos) << entry.path();
    }
  }
}

}  // namespace
}  // namespace qa::test
