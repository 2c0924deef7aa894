// report_to_text beyond the golden file (report_writers_test.cpp): empty and all-unchanged
// comparisons, the alignment of the table, aggregates without reference.
#include <qa/report/report_writers.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace qa::report {
namespace {

using nlohmann::json;

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

core::RunRecord record(const std::string& key, json metrics,
                       core::RunStatus status = core::RunStatus::ok) {
  auto r = test::run_record(key, std::move(metrics), status);
  r.commit = k_sha;
  r.branch = "main";
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(ReportTextTest, AnEmptyComparisonIsTheHeadlineAndTheCounts) {
  Comparison comparison = compare({}, {}, core::MetricDefs{}, CompareOptions{});
  comparison.project = "acme/demo";
  comparison.commit = k_sha;
  EXPECT_EQ(report_to_text(comparison),
            "passed: no run failed (gate: failed runs)\nacme/demo 0123456789ab without "
            "reference\n0 runs\n");
}

TEST(ReportTextTest, UnchangedRunsAreCountedNotListed) {
  const std::vector<core::RunRecord> runs{record("default/base/a.png", {{"psnr", 30.0}}),
                                          record("default/base/b.png", {{"psnr", 32.0}})};
  const std::string text =
      report_to_text(compare(runs, runs, core::MetricDefs{}, CompareOptions{}));
  EXPECT_NE(text.find("(2 unchanged runs not listed)\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("verdict"), std::string::npos) << text;
  EXPECT_EQ(text.find("a.png"), std::string::npos) << text;
  // The aggregates still show the mean against the reference's.
  EXPECT_NE(text.find("label    config  metric  mean    reference  median  min     max\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("default  base    psnr    31.000  31.000     31.000  30.000  32.000\n"),
            std::string::npos)
      << text;

  const std::string one =
      report_to_text(compare({runs[0]}, {runs[0]}, core::MetricDefs{}, CompareOptions{}));
  EXPECT_NE(one.find("(1 unchanged run not listed)\n"), std::string::npos) << one;
}

TEST(ReportTextTest, ChangedRunsAreAlignedColumnsWithTheirNotes) {
  const std::vector<core::RunRecord> runs{
      record("default/base/a.png", {{"psnr", 30.0}}),
      record("default/base/a-much-longer-input-name.png", {{"psnr", 1.0}}),
      record("default/base/fail.png", json::object(), core::RunStatus::failed)};
  std::vector<core::RunRecord> reference{record("default/base/a.png", {{"psnr", 31.0}}),
                                         record("default/base/fail.png", {{"psnr", 1.0}})};
  reference[0].commit = std::string(40, 'a');
  auto failed = runs;
  failed[2].exit_code = 4;
  const std::string text =
      report_to_text(compare(failed, reference, core::MetricDefs{}, CompareOptions{}));
  const auto lines = lines_of(text);
  // verdict, headline, counts, blank, header, three rows
  ASSERT_GE(lines.size(), 8U) << text;
  EXPECT_EQ(lines[0], "failed: 1 run failed (gate: failed runs)") << text;
  EXPECT_EQ(lines[2], "3 runs: 1 failed, 1 better, 1 new; outputs 1 identical, 0 different")
      << text;
  EXPECT_TRUE(lines[4].starts_with("verdict")) << text;
  const std::size_t run_column = lines[4].find("run");
  const std::size_t psnr_column = lines[4].find("psnr");
  for (std::size_t i = 5; i < 8; ++i) {
    EXPECT_EQ(lines[i].find("default/base/"), run_column) << lines[i];
    EXPECT_NE(lines[i][psnr_column], ' ') << lines[i];
    EXPECT_EQ(lines[i][psnr_column - 1], ' ') << lines[i];
    EXPECT_EQ(lines[i].back() == ' ', false) << "trailing space: " << lines[i];
  }
  EXPECT_TRUE(lines[5].starts_with("failed")) << text;
  EXPECT_NE(lines[5].find("failed, exit code 4"), std::string::npos) << lines[5];
  // psnr is smaller-is-better by default: 30 against 31 is better.
  EXPECT_NE(text.find("30.000 -1.000 (-3.2%)"), std::string::npos) << text;
}

}  // namespace
}  // namespace qa::report
