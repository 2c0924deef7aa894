// qa-report on real git histories made by the tests: gating, references, outputs.
#include <gtest/gtest.h>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project whose metric `score` is the number in level.txt (bigger is better, 10% tolerance),
// and whose input fail.in fails when fail.txt exists.
class Report : public ToolTest {
 protected:
  Report() {
    write_config(R"(project: {name: acme/report, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: >-
    test ! -e {project_root}/fail-{rel_input_path} && cat {input_path} {project_root}/level.txt > {output_dir}/out.txt && printf '{"score": %s}' $(cat {project_root}/level.txt) > {output_dir}/metrics.json
outputs: {metrics: metrics.yaml}
)");
    write_text(m_project / "metrics.yaml", R"(available_metrics:
  score: {label: Score, smaller_is_better: false, tolerance: 0.1, precision: 1}
main_metrics: [score]
)");
    write_text(m_project / "batches.yaml", "all:\n  inputs: [a.in, b.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / "data" / "b.in", "b\n");
    write_text(m_project / ".gitignore", "output/\n");
    set_level("10");
    m_repo->commit_all("A");
    m_commit_a = m_repo->head();
    EXPECT_EQ(run_tool("qa-batch", {"all"}).exit_code, 0);
  }

  void set_level(const std::string& level) { write_text(m_project / "level.txt", level + "\n"); }

  // Commit B with `level`, run the batch, return its records.
  std::string commit_b(const std::string& level) {
    set_level(level);
    m_repo->commit_all("B");
    const auto batch = run_tool("qa-batch", {"all"});
    EXPECT_EQ(batch.exit_code, 0) << batch.err;
    return batch.out;
  }

  ProcessResult report(const std::string& records, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {}) {
    auto full = env;
    full.try_emplace("QA_STORE", m_store.string());
    std::vector<std::string> argv{tool_path("qa-report").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, m_project, clean_environment(m_home, full), records);
  }

  std::string m_commit_a;
};

TEST_F(Report, ARegressionBeyondToleranceGatesOnlyWhenAskedTo) {
  const std::string records = commit_b("5");  // -50%, tolerance 10%
  const auto by_default = report(records, {});
  EXPECT_EQ(by_default.exit_code, 0) << by_default.err;
  EXPECT_NE(by_default.out.find("2 runs: 2 regressions"), std::string::npos) << by_default.out;
  EXPECT_NE(by_default.out.find("against " + m_commit_a.substr(0, 12)), std::string::npos);
  EXPECT_NE(by_default.err.find("reference " + m_commit_a.substr(0, 12)), std::string::npos);

  EXPECT_EQ(report(records, {"--fail-on", "regression"}).exit_code, 1);
  EXPECT_EQ(report(records, {"--fail-on", "never"}).exit_code, 0);
}

TEST_F(Report, AWorseningWithinToleranceIsNoRegression) {
  const std::string records = commit_b("9.5");  // -5%
  const auto result = report(records, {"--fail-on", "regression"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("2 runs: 2 worse"), std::string::npos) << result.out;
}

TEST_F(Report, AFailedRunFailsByDefault) {
  write_text(m_project / "fail-b.in", "");
  set_level("11");
  m_repo->commit_all("B");
  const auto batch = run_tool("qa-batch", {"all"});
  EXPECT_EQ(batch.exit_code, 1);
  const auto result = report(batch.out, {});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("1 failed"), std::string::npos) << result.out;
  EXPECT_EQ(report(batch.out, {"--fail-on", "never"}).exit_code, 0);
}

TEST_F(Report, WritesEveryFormatInOneRunAndTheStepSummary) {
  const std::string records = commit_b("12");
  const fs::path out = m_tmp / "report out é";
  write_text(out / "summary-before.md", "");
  write_text(m_tmp / "step summary.md", "earlier step\n");
  const auto result =
      report(records,
             {"--json", (out / "report.json").string(), "--md", (out / "summary.md").string(),
              "--junit", (out / "junit.xml").string(), "--openmetrics",
              (out / "metrics.txt").string(), "--html", (out / "index.html").string()},
             {{"GITHUB_STEP_SUMMARY", (m_tmp / "step summary.md").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");  // files were asked for: no text table
  const json report_json = json::parse(read_text(out / "report.json"));
  EXPECT_EQ(report_json["schema"], "qa.report/1");
  EXPECT_EQ(report_json["reference"]["commit"], m_commit_a);
  EXPECT_EQ(report_json["totals"]["better"], 2);
  EXPECT_EQ(report_json["runs"][0]["metrics"]["score"]["reference"], 10);
  EXPECT_EQ(read_text(out / "summary.md").rfind("<!-- qa-report:default -->", 0), 0U);
  EXPECT_NE(read_text(out / "junit.xml").find("<testsuite name=\"default\" tests=\"2\""),
            std::string::npos);
  EXPECT_NE(read_text(out / "metrics.txt").find("qa_score_mean{label=\"default\",config=\"default\"} 12"),
            std::string::npos)
      << read_text(out / "metrics.txt");
  EXPECT_NE(read_text(out / "index.html").find("<html"), std::string::npos);
  const std::string summary = read_text(m_tmp / "step summary.md");
  EXPECT_EQ(summary.rfind("earlier step\n<!-- qa-report:default -->", 0), 0U) << summary;
}

TEST_F(Report, DashWritesToStdout) {
  const std::string records = commit_b("12");
  const auto result = report(records, {"--openmetrics", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("# EOF"), std::string::npos);
}

TEST_F(Report, StoredRunsOfACommitReportLikeTheStream) {
  const std::string records = commit_b("5");
  const auto from_stream = report(records, {"--json", "-"});
  const auto from_store = run_tool("qa-report", {"--commit", "HEAD", "all", "--json", "-"});
  ASSERT_EQ(from_store.exit_code, 0) << from_store.err;
  json a = json::parse(from_stream.out);
  json b = json::parse(from_store.out);
  a.erase("generated_at");
  b.erase("generated_at");
  EXPECT_EQ(a, b);
}

TEST_F(Report, RunsOnlyTheReferenceHasAreMissing) {
  set_level("10");
  m_repo->commit_all("B");
  const auto one = run_tool("qa-run", {"--input", "a.in"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto result = report(one.out, {});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("1 missing"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("default/default/b.in"), std::string::npos) << result.out;
}

TEST_F(Report, NoReferenceIsNewUnlessRequired) {
  // A new store: A's results are not there.
  const std::map<std::string, std::string> fresh{{"QA_STORE", (m_tmp / "fresh store").string()}};
  set_level("11");
  m_repo->commit_all("B");
  const auto batch = run_tool("qa-batch", {"all"}, fresh);
  ASSERT_EQ(batch.exit_code, 0);
  const auto unknown = report(batch.out, {"--reference", "no-such-branch"}, fresh);
  EXPECT_EQ(unknown.exit_code, 2) << "an unknown explicit reference is a usage error";
  const auto orphan = report(batch.out, {}, fresh);
  EXPECT_EQ(orphan.exit_code, 0) << orphan.err;
  EXPECT_NE(orphan.out.find("2 new"), std::string::npos) << orphan.out;
  EXPECT_NE(orphan.out.find("without reference"), std::string::npos) << orphan.out;
  const auto required = report(batch.out, {"--require-reference"}, fresh);
  EXPECT_EQ(required.exit_code, 3) << required.err;
}

TEST_F(Report, BadInputIsAUsageError) {
  const std::string records = commit_b("12");
  write_text(m_project / "metrics.yaml", "available_metrics:\n  score: {tolerence: 1}\n");
  const auto bad_metrics = report(records, {});
  EXPECT_EQ(bad_metrics.exit_code, 2);
  EXPECT_NE(bad_metrics.err.find("metrics.yaml\": line 2: unknown key"), std::string::npos)
      << bad_metrics.err;
  EXPECT_NE(bad_metrics.err.find("did you mean \"tolerance\""), std::string::npos);
  write_text(m_project / "metrics.yaml", "available_metrics:\n  score: {tolerance: 1}\n");

  const auto bad_gate = report(records, {"--fail-on", "sometimes"});
  EXPECT_EQ(bad_gate.exit_code, 2);
  const auto bad_stream = report("{\"schema\": \"qa.run/1\"\n", {});
  EXPECT_EQ(bad_stream.exit_code, 2);
  EXPECT_NE(bad_stream.err.find("stdin"), std::string::npos) << bad_stream.err;
  // Missing folders are made, but a file cannot hold one.
  write_text(m_tmp / "a file", "");
  const std::string target = (m_tmp / "a file" / "report.json").string();
  const auto unwritable = report(records, {"--json", target});
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.err.find("a file"), std::string::npos) << unwritable.err;
}

}  // namespace
}  // namespace qa::test
