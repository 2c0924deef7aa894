// qa-report on real git histories made by the tests: gating, references, outputs.
#include <gtest/gtest.h>

#include "support/records.hpp"
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

// An optimization at commit B: the batch `all` evaluated twice, under default.iter1 (strength
// 0.3) and default.iter2 (strength 0.7, the best), and the --best document of qa-batch
// --optimize naming iter2 and mapping its runs to the plain batch's keys, which commit A has.
class ReportOptimization : public Report {
 protected:
  ReportOptimization() {
    set_level("12");
    m_repo->commit_all("B");
    m_records = evaluate("default.iter1", "0.3") + evaluate("default.iter2", "0.7");
    json best_runs = json::object();
    for (const auto& record : test::parse_json_lines(m_records)) {
      m_commit_b = record["commit"];
      if (record["label"] == "default.iter2") {
        best_runs[record["key"].get<std::string>()] =
            "default/default/" + record["input"].get<std::string>();
      }
    }
    EXPECT_EQ(best_runs.size(), 2U);
    const auto evaluation = [](int n, double strength, double objective) {
      return json{{"evaluation", n},
                  {"label", "default.iter" + std::to_string(n)},
                  {"params", {{"strength", strength}}},
                  {"point", {{"strength", strength}}},
                  {"status", "ok"},
                  {"objective", objective},
                  {"terms", {{"score", objective}}},
                  {"aggregates", {{"score", -objective}}},
                  {"runs", {{"total", 2}, {"ok", 2}, {"failed", 0}}},
                  {"notes", json::array()}};
    };
    m_document = {
        {"schema", "qa.optimization/1"},
        {"project", "acme/report"},
        {"commit", m_commit_b},
        {"base_label", "default"},
        {"file", "optimize.yaml"},
        {"solver", "global"},
        {"seed", 42},
        {"budget", 4},
        {"parallel", 1},
        {"objective", -12.5},
        {"params", {{"strength", 0.7}}},
        {"evaluation", 2},
        {"label", "default.iter2"},
        {"metrics", {"score"}},
        {"search_space",
         {{{"name", "strength"}, {"kind", "real"}, {"low", 0}, {"high", 1}, {"prior", "uniform"}}}},
        {"evaluations", {evaluation(1, 0.3, -12), evaluation(2, 0.7, -12.5)}},
        {"best_runs", best_runs}};
  }

  std::string evaluate(const std::string& label, const std::string& strength) {
    const auto batch =
        run_tool("qa-batch", {"all", "--label", label, "--param", "strength=" + strength});
    EXPECT_EQ(batch.exit_code, 0) << batch.err;
    return batch.out;
  }

  // Write `document` and return its path.
  std::string write_document(const json& document) {
    const fs::path file = m_tmp / "best.json";
    write_text(file, document.dump(1));
    return file.string();
  }

  std::string m_records;
  std::string m_commit_b;
  json m_document;
};

TEST_F(ReportOptimization, TheBestRunsAreComparedWithTheReferencesPlainRuns) {
  const std::string best = write_document(m_document);
  const auto result = report(m_records, {"--optimization", best, "--json", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json report_json = json::parse(result.out);
  EXPECT_EQ(report_json["reference"]["commit"], m_commit_a);
  EXPECT_EQ(report_json["totals"]["runs"], 2) << "the other evaluation is left out";
  EXPECT_EQ(report_json["totals"]["better"], 2);
  EXPECT_EQ(report_json["totals"]["new"], 0);
  EXPECT_EQ(report_json["totals"]["missing"], 0);
  for (const auto& run : report_json["runs"]) {
    EXPECT_EQ(run["key"], "default/default/" + run["input"].get<std::string>());
    EXPECT_EQ(run["label"], "default.iter2");
    EXPECT_EQ(run["reference_status"], "ok");
    EXPECT_EQ(run["metrics"]["score"]["reference"], 10);
    EXPECT_EQ(run["params"]["strength"], 0.7);
    const std::string own = run["badges"]["evaluation_key"];
    EXPECT_TRUE(own.starts_with("default.iter2/") && own.find("strength=0.7") != std::string::npos)
        << own;
  }
  EXPECT_EQ(report_json["optimization"], m_document);

  const auto text = report(m_records, {"--optimization", best});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2 runs: 2 better"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("optimization: best objective -12.5 at evaluation 2 (default.iter2), 2 "
                          "of 4 evaluations: 2 ok, 0 failed; strength=0.7"),
            std::string::npos)
      << text.out;
}

TEST_F(ReportOptimization, MarkdownAndHtmlShowTheSearch) {
  const std::string best = write_document(m_document);
  const fs::path md = m_tmp / "summary.md";
  const fs::path html = m_tmp / "report.html";
  const auto result =
      report(m_records, {"--optimization", best, "--md", md.string(), "--html", html.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string summary = read_text(md);
  EXPECT_TRUE(summary.starts_with("<!-- qa-report:optimization:default -->\n")) << summary;
  EXPECT_NE(summary.find("#### Optimization\n\nBest objective **-12.5** at evaluation 2 "
                         "(default.iter2): strength=0.7.\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("| 1 | ok | -12 | -12 | 0.3 | 12.0 |  |\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| 2 (best) | ok | -12.5 | -12.5 | 0.7 | 12.5 |  |\n"), std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("🆕"), std::string::npos) << "the best runs met the plain ones";
  const std::string page = read_text(html);
  EXPECT_NE(page.find("\"schema\":\"qa.optimization/1\""), std::string::npos);
  EXPECT_NE(page.find("\"best_runs\":{\"default.iter2/"), std::string::npos);
}

TEST_F(ReportOptimization, StoredRunsOfTheBestEvaluationReportLikeTheStream) {
  const std::string best = write_document(m_document);
  const auto keys_of = [](const ProcessResult& result) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string> keys;
    const json report_json = json::parse(result.out);
    for (const auto& run : report_json["runs"]) {
      keys.push_back(run["key"].get<std::string>() + " " + run["verdict"].get<std::string>());
    }
    return keys;
  };
  const auto piped = keys_of(report(m_records, {"--optimization", best, "--json", "-"}));
  ASSERT_EQ(piped.size(), 2U);
  EXPECT_EQ(keys_of(report("", {"--commit", "HEAD", "--optimization", best, "--json", "-"})),
            piped);
  EXPECT_EQ(keys_of(report("", {"--commit", "HEAD", "all", "--optimization", best, "--json", "-"})),
            piped)
      << "the batch planned as the best evaluation ran it";
}

TEST_F(ReportOptimization, ADocumentOfAnotherCommitOrProjectIsAUsageError) {
  json other_commit = m_document;
  other_commit["commit"] = m_commit_a;
  const auto commit = report(m_records, {"--optimization", write_document(other_commit)});
  EXPECT_EQ(commit.exit_code, 2);
  EXPECT_NE(commit.err.find("is of commit \"" + m_commit_a + "\", the runs of \"" + m_commit_b),
            std::string::npos)
      << commit.err;

  json other_project = m_document;
  other_project["project"] = "acme/other";
  const auto project = report(m_records, {"--optimization", write_document(other_project)});
  EXPECT_EQ(project.exit_code, 2);
  EXPECT_NE(project.err.find("is of project \"acme/other\", the runs of \"acme/report\""),
            std::string::npos)
      << project.err;

  json invalid = m_document;
  invalid["evaluations"][0]["status"] = "done";
  const auto bad = report(m_records, {"--optimization", write_document(invalid)});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("\"evaluations[0].status\" must be ok, failed or interrupted"),
            std::string::npos)
      << bad.err;
}

TEST_F(ReportOptimization, NoBestEvaluationReportsTheSearchOnly) {
  json none = m_document;
  for (auto& evaluation : none["evaluations"]) {
    evaluation["status"] = "failed";
    evaluation["objective"] = nullptr;
    evaluation["notes"] = {"every run failed"};
  }
  for (const char* field : {"objective", "params", "evaluation", "label"}) {
    none[field] = nullptr;
  }
  none["best_runs"] = json::object();
  const fs::path md = m_tmp / "summary.md";
  const auto result = report(m_records, {"--optimization", write_document(none), "--md",
                                         md.string(), "--json", "-", "--fail-on", "regression"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("warning: no evaluation of the optimization"), std::string::npos)
      << result.err;
  const json report_json = json::parse(result.out);
  EXPECT_EQ(report_json["totals"]["runs"], 0);
  EXPECT_EQ(report_json["project"], "acme/report");
  EXPECT_EQ(report_json["optimization"]["label"], nullptr);
  EXPECT_NE(read_text(md).find("No evaluation succeeded"), std::string::npos) << read_text(md);
}

}  // namespace
}  // namespace qa::test
