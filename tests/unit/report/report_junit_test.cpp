// report_to_junit beyond the golden file (report_writers_test.cpp): escaping, failure messages,
// times, empty reports and the order of many testcases.
#include <qa/report/report_writers.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "support/records.hpp"
#include "support/expect.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

using nlohmann::json;

core::RunRecord record(const std::string& key, json metrics,
                       core::RunStatus status = core::RunStatus::ok, double wall_s = 0) {
  auto r = test::run_record(key, std::move(metrics), status);
  r.timing.wall_s = wall_s;
  return r;
}

TEST(ReportJunitTest, AnEmptyReportIsAnEmptyTestsuites) {
  EXPECT_EQ(report_to_junit(compare({}, {}, {}, CompareOptions{})),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"qa-report\" tests=\"0\" failures=\"0\" errors=\"0\" "
            "time=\"0.000\">\n</testsuites>\n");
}

TEST(ReportJunitTest, RecordDataIsEscapedIntoWellFormedXml) {
  auto run = record("default/base/x.png", {{"note", "<b> & \"q\""}});
  run.input = "a&b<\"'>\x01.png";
  const std::string xml = report_to_junit(compare({run}, {}, {}, CompareOptions{}));
  EXPECT_CONTAINS(xml, "name=\"a&amp;b&lt;&quot;&#39;&gt;\xEF\xBF\xBD.png\"");
  EXPECT_CONTAINS(xml, "note: &lt;b&gt; &amp; &quot;q&quot; (reference -)");
  const test::TempDir tmp;
  test::write_text(tmp / "junit.xml", xml);
  test::sh("xmllint --noout junit.xml", tmp.path());  // fails the test when not well-formed
}

// A run the run cache answered passes as an ok run, took no time here, and says whose outputs
// it reuses.
TEST(ReportJunitTest, ACachedRunPassesInNoTimeAndSaysWhereItsOutputsComeFrom) {
  auto cached = record("default/base/c.png", {{"psnr", 30.0}}, core::RunStatus::cached, 4.0);
  cached.cached_from = "fedcba9876543210fedcba9876543210fedcba98";
  const std::vector<core::RunRecord> records{cached};
  const std::vector<core::RunRecord> reference{record("default/base/c.png", {{"psnr", 30.0}})};
  const std::string xml = report_to_junit(compare(records, reference, {}, CompareOptions{}));
  EXPECT_CONTAINS(xml,
                  "name=\"c.png\" time=\"0.000\">\n      <system-out>cached: the outputs "
                  "of commit fedcba9876543210fedcba9876543210fedcba98, nothing ran");
  EXPECT_CONTAINS(xml, "tests=\"1\" failures=\"0\" errors=\"0\" time=\"0.000\"");
}

TEST(ReportJunitTest, FailuresSayWhatFailedAndTimesAddUp) {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.suffix = " dB";
  psnr.precision = 2;
  psnr.tolerance = 0.01;
  defs.add(psnr);
  auto failed = record("default/base/f.png", json::object(), core::RunStatus::failed, 0.25);
  failed.exit_code = 3;
  const std::vector<core::RunRecord> records{
      failed, record("default/base/r.png", {{"psnr", 28.0}}, core::RunStatus::ok, 1.5),
      record("default/base/n.png", {{"psnr", 28.0}}, core::RunStatus::ok, 2.0)};
  const std::vector<core::RunRecord> reference{record("default/base/f.png", {{"psnr", 30.0}}),
                                               record("default/base/r.png", {{"psnr", 30.0}}),
                                               record("default/base/gone.png", {{"psnr", 30.0}})};
  const std::string xml = report_to_junit(compare(records, reference, defs, CompareOptions{}));
  EXPECT_CONTAINS(xml,
                  "<testcase classname=\"base\" name=\"f.png\" time=\"0.250\">\n"
                  "      <failure message=\"the run failed (exit code 3)\" type=\"failed\">");
  EXPECT_CONTAINS(xml,
                  "<failure message=\"PSNR regressed: 28.00 dB against 30.00 dB (-2.00 "
                  "(-6.7%), tolerance 1.0%)\" type=\"regression\">");
  EXPECT_CONTAINS(xml, "name=\"n.png\" time=\"2.000\">\n      <skipped/>");
  EXPECT_CONTAINS(xml, "name=\"gone.png\" time=\"0.000\">\n      <skipped/>");
  EXPECT_CONTAINS(xml,
                  "<testsuite name=\"default\" tests=\"4\" failures=\"2\" errors=\"0\" "
                  "skipped=\"2\" time=\"3.750\">");
  EXPECT_CONTAINS(xml,
                  "<testsuites name=\"qa-report\" tests=\"4\" failures=\"2\" errors=\"0\" "
                  "time=\"3.750\">");
}

TEST(ReportJunitTest, ManyTestcasesKeepTheOrderOfTheRuns) {
  // More testcases than the writer formats at once (1,024), streamed in several pieces.
  std::vector<core::RunRecord> records;
  for (int i = 0; i < 9000; ++i) {
    records.push_back(record("default/base/" + std::to_string(10000 + i) + ".png", {{"m", 1.0}}));
  }
  const Comparison comparison = compare(records, records, {}, CompareOptions{});
  std::string xml;
  std::size_t pieces = 0;
  std::size_t largest = 0;
  write_report_junit(comparison, [&](std::string_view piece) {
    xml += piece;
    ++pieces;
    largest = std::max(largest, piece.size());
  });
  EXPECT_GE(pieces, 5U) << "the suites' tags, then three chunks of testcases or more";
  EXPECT_LT(largest, xml.size() / 2) << "never the whole report at once";
  EXPECT_EQ(xml, report_to_junit(comparison));
  std::size_t at = 0;
  for (const auto& run : comparison.runs) {
    const std::size_t found = xml.find("name=\"" + std::string(run.input) + "\"", at);
    ASSERT_NE(found, std::string::npos) << run.input << " missing or out of order";
    at = found;
  }
  EXPECT_CONTAINS(xml, "tests=\"9000\" failures=\"0\" errors=\"0\" skipped=\"0\"");
}

}  // namespace
}  // namespace qa::report
