// report_to_openmetrics beyond the golden file (report_writers_test.cpp): names and label values
// made safe, families only for metrics with numbers, an empty report.
#include <qa/report/report_writers.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"
#include "support/expect.hpp"

#include <string>
#include <vector>

namespace qa::report {
namespace {

using qa::test::contains;

using nlohmann::json;

core::RunRecord record(const std::string& key, json metrics,
                       core::RunStatus status = core::RunStatus::ok) {
  return test::run_record(key, std::move(metrics), status);
}

const char* const k_runs_header =
    "# TYPE qa_runs gauge\n# HELP qa_runs Runs by status, per label and config.\n";

TEST(ReportOpenMetricsTest, AnEmptyReportHasOnlyTheRunsFamilyAndEof) {
  EXPECT_EQ(report_to_openmetrics(compare({}, {}, {}, CompareOptions{})),
            std::string(k_runs_header) + "# EOF\n");
}

TEST(ReportOpenMetricsTest, RunCountsPerGroupAndStatus) {
  const std::string text = report_to_openmetrics(compare(
      {record("default/base/a.png", {{"m", 1.0}}),
       record("default/base/b.png", json::object(), core::RunStatus::failed),
       record("nightly/fast/a.png", {{"m", 4.0}})},
      {record("default/base/a.png", {{"m", 0.5}}), record("default/base/gone.png", {{"m", 1.0}})},
      {}, CompareOptions{}));
  EXPECT_TRUE(text.starts_with(std::string(k_runs_header) +
                               "qa_runs{label=\"default\",config=\"base\",status=\"ok\"} 1\n"
                               "qa_runs{label=\"default\",config=\"base\",status=\"failed\"} 1\n"
                               "qa_runs{label=\"default\",config=\"base\",status=\"missing\"} 1\n"
                               "qa_runs{label=\"default\",config=\"base\",status=\"regression\"} "
                               "1\n"
                               "qa_runs{label=\"nightly\",config=\"fast\",status=\"ok\"} 1\n"))
      << text;
  EXPECT_CONTAINS(text,
                  "# TYPE qa_m_mean gauge\n# HELP qa_m_mean The mean of m over the "
                  "inputs.\nqa_m_mean{label=\"default\",config=\"base\"} 1\n"
                  "qa_m_mean{label=\"nightly\",config=\"fast\"} 4\n");
  EXPECT_CONTAINS(text, "qa_m_median{label=\"nightly\",config=\"fast\"} 4\n");
  EXPECT_TRUE(text.ends_with("\n# EOF\n"));
}

TEST(ReportOpenMetricsTest, NamesAndLabelValuesAreMadeSafe) {
  Comparison comparison =
      compare({record("default/base/a.png", {{"max-err.px", 2.5}, {"verdict", "ok"}})}, {}, {},
              CompareOptions{});
  ASSERT_EQ(comparison.groups.size(), 1U);
  comparison.groups[0].config = "say \"hi\"\\\nthere";
  const std::string text = report_to_openmetrics(comparison);
  EXPECT_CONTAINS(
      text, "qa_max_err_px_mean{label=\"default\",config=\"say \\\"hi\\\"\\\\\\nthere\"} 2.5\n");
  EXPECT_CONTAINS(text, "# HELP qa_max_err_px_median The median of max-err.px over the inputs.\n");
  // A metric without any number has no family.
  EXPECT_FALSE(contains(text, "qa_verdict")) << text;
}

}  // namespace
}  // namespace qa::report
