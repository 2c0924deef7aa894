// qa-report --history on a real git history with real runs: first parents, gaps, batches, the
// three outputs, a shallow clone read further back from the branch index, and its usage errors.
#include <gtest/gtest.h>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// main: A (score 10, run) - B (12, run) - C (no run) - M (merge of feature: F, score 1, run on
// feature) - D (20, run). The metric `score` is the number in level.txt, bigger is better.
class History : public ToolTest {
 protected:
  History() {
    write_config(R"(project: {name: acme/history, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: >-
    cat {input_path} > {output_dir}/out.txt && printf '{"score": %s}' $(cat {project_root}/level.txt) > {output_dir}/metrics.json
outputs: {metrics: metrics.yaml}
)");
    write_text(m_project / "metrics.yaml", R"(available_metrics:
  score: {label: Score, smaller_is_better: false, precision: 1}
main_metrics: [score]
)");
    write_text(m_project / "batches.yaml",
               "all:\n  inputs: [a.in, b.in]\none:\n  inputs: [a.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / "data" / "b.in", "b\n");
    write_text(m_project / ".gitignore", "output/\n");
    m_a = commit_and_run("10", "A <b>first</b>");
    m_b = commit_and_run("12", "B");
    write_text(m_project / "notes.txt", "docs\n");
    m_c = m_repo->commit_all("C docs only");
    m_repo->git("checkout -q -b feature");
    m_f = commit_and_run("1", "F on feature");
    m_repo->git("checkout -q main");
    m_repo->git("merge -q --no-ff feature -m 'M merge feature'");
    m_m = m_repo->head();
    m_d = commit_and_run("20", "D");
  }

  // Commit with level.txt holding `level`, run the batch `all`; return the commit's sha.
  std::string commit_and_run(const std::string& level, const std::string& subject) {
    write_text(m_project / "level.txt", level + "\n");
    const std::string sha = m_repo->commit_all(subject);
    const auto batch = run_tool("qa-batch", {"all"});
    EXPECT_EQ(batch.exit_code, 0) << batch.err;
    return sha;
  }

  json history_json(const std::vector<std::string>& extra, const fs::path& cwd = {}) {
    std::vector<std::string> args{"--history", "main", "--json", "-"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_tool("qa-report", args, {}, cwd);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto doc = json::parse(result.out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << result.out;
    return doc;
  }

  static std::vector<std::string> shas(const json& doc) {
    std::vector<std::string> result;
    for (const auto& commit : doc["commits"]) {
      result.push_back(commit["sha"].get<std::string>());
    }
    return result;
  }

  static json score(const json& commit) { return commit["groups"][0]["metrics"]["score"]["mean"]; }

  std::string m_a, m_b, m_c, m_f, m_m, m_d;
};

TEST_F(History, JsonHasTheFirstParentCommitsNewestFirstWithTheirAggregates) {
  const json doc = history_json({});
  EXPECT_EQ(doc["schema"], "qa.history/1");
  EXPECT_EQ(doc["project"], "acme/history");
  EXPECT_EQ(doc["branch"], "main");
  EXPECT_EQ(doc["commits_with_results"], 3);
  EXPECT_EQ(doc["gaps"], 2);
  // F, the merge's second parent, is not on main's first-parent line.
  EXPECT_EQ(shas(doc), (std::vector<std::string>{m_d, m_m, m_c, m_b, m_a}));
  const json& commits = doc["commits"];
  EXPECT_EQ(commits[0]["subject"], "D");
  EXPECT_EQ(commits[0]["source"], "git");
  EXPECT_EQ(commits[0]["date"].get<std::string>().size(), 20U);
  EXPECT_EQ(score(commits[0]), 20.0);
  EXPECT_EQ(commits[0]["groups"][0]["metrics"]["score"]["count"], 2);
  EXPECT_EQ(commits[0]["groups"][0]["counts"]["ok"], 2);
  EXPECT_EQ(commits[0]["totals"]["failed"], 0);
  EXPECT_EQ(commits[1]["has_results"], false);
  EXPECT_EQ(commits[1]["subject"], "M merge feature");
  EXPECT_EQ(commits[2]["has_results"], false);
  EXPECT_EQ(score(commits[3]), 12.0);
  EXPECT_EQ(score(commits[4]), 10.0);
  EXPECT_EQ(commits[4]["subject"], "A <b>first</b>");
}

TEST_F(History, LastCountsCommitsWithResultsAndBatchesLimitTheRuns) {
  const json last = history_json({"--last", "2"});
  EXPECT_EQ(shas(last), (std::vector<std::string>{m_d, m_m, m_c, m_b}));
  const json one = history_json({"one"});
  EXPECT_EQ(one["batches"], json::array({"one"}));
  EXPECT_EQ(one["commits"][0]["groups"][0]["counts"]["ok"], 1);
  EXPECT_EQ(one["commits"][0]["groups"][0]["metrics"]["score"]["count"], 1);
}

TEST_F(History, MarkdownHtmlAndTextOutputs) {
  const auto result =
      run_tool("qa-report", {"--history", "main", "--md", "history.md", "--html",
                             "public/history.html", "--history-url", "history.html"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string md = read_text(m_project / "history.md");
  EXPECT_NE(md.find("## Metric history of main (acme/history)"), std::string::npos) << md;
  EXPECT_NE(md.find("[Charts of the history](history.html)"), std::string::npos) << md;
  EXPECT_NE(md.find("| " + m_d.substr(0, 12)), std::string::npos) << md;
  EXPECT_NE(md.find("| 20.0 ↑🟢 |"), std::string::npos) << md;  // against B's 12
  EXPECT_NE(md.find("| 12.0 ↑🟢 |"), std::string::npos) << md;  // against A's 10
  EXPECT_NE(md.find("| no results |"), std::string::npos) << md;
  EXPECT_NE(md.find("A &lt;b&gt;first&lt;/b&gt;"), std::string::npos) << md;
  const std::string html = read_text(m_project / "public" / "history.html");
  EXPECT_NE(html.find("\"schema\":\"qa.history/1\""), std::string::npos);
  EXPECT_EQ(html.find("<b>first"), std::string::npos);

  const auto text = run_tool("qa-report", {"--history", "main"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("history of main (acme/history): 3 commits with results, 2 without\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(m_d.substr(0, 12)), std::string::npos);
  EXPECT_NE(text.out.find("D: 2 ok, 0 failed; default/"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("M merge feature: no results\n"), std::string::npos) << text.out;
}

TEST_F(History, AShallowCloneReadsOlderCommitsFromTheBranchIndex) {
  const fs::path clone = m_tmp / "shallow clone";
  sh("git clone -q --depth 1 --branch main 'file://" + m_project.string() + "' '" + clone.string() +
         "'",
     m_tmp.path());
  const json doc = history_json({}, clone);
  // D from git, then B and A: the commits the index named before D.
  EXPECT_EQ(shas(doc), (std::vector<std::string>{m_d, m_b, m_a}));
  EXPECT_EQ(doc["commits"][0]["source"], "git");
  EXPECT_EQ(doc["commits"][1]["source"], "branch_index");
  EXPECT_TRUE(doc["commits"][1]["subject"].is_null());
  EXPECT_EQ(score(doc["commits"][1]), 12.0);
  EXPECT_EQ(score(doc["commits"][2]), 10.0);
}

TEST_F(History, UsageErrorsSayWhatIsWrongInOneLine) {
  const auto with_commit = run_tool("qa-report", {"--history", "main", "--commit", "HEAD"});
  EXPECT_EQ(with_commit.exit_code, 2);
  EXPECT_EQ(with_commit.err,
            "qa-report: error: --history reports the commits of a branch and takes no --commit "
            "(it writes --json, --md and --html)\n");
  const auto with_reference = run_tool("qa-report", {"--history", "main", "--reference", "v1"});
  EXPECT_EQ(with_reference.exit_code, 2);
  EXPECT_NE(with_reference.err.find("takes no --reference"), std::string::npos);
  const auto unknown = run_tool("qa-report", {"--history", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "qa-report: error: unknown branch \"nope\": neither git nor the store's branch index "
            "knows it\n");
  const auto last_alone = run_tool("qa-report", {"--last", "3"});
  EXPECT_EQ(last_alone.exit_code, 2);
  const auto bad_url = run_tool("qa-report", {"all", "--history-url", "javascript:alert(1)"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.err.find("invalid --history-url \"javascript:alert(1)\""), std::string::npos);
}

TEST_F(History, TheReportLinksToThePublishedHistory) {
  const auto result = run_tool("qa-report", {"all", "--commit", "HEAD", "--html", "report.html",
                                             "--md", "report.md", "--history-url", "history.html"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(read_text(m_project / "report.html")
                .find("<a class=\"qa-history-link\" href=\"history.html\">metric history</a>"),
            std::string::npos);
  EXPECT_NE(read_text(m_project / "report.md").find(" · [metric history](history.html)\n"),
            std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(
                run_tool("qa-report", {"all", "--commit", "HEAD", "--json", "-", "--history-url",
                                       "https://ci.example.com/history.html"})
                    .out)["links"]["history"],
            "https://ci.example.com/history.html");
}

}  // namespace
}  // namespace qa::test
