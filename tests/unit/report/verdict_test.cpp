// judge, verdict_title and explain: the verdict under each gate, and why a run has its verdict.
#include <qa/report/verdict.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"

#include <string>
#include <vector>

namespace qa::report {
namespace {

using nlohmann::json;
using test::run_record;

core::MetricDefs psnr_defs(double tolerance) {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.precision = 2;
  psnr.suffix = " dB";
  psnr.tolerance = tolerance;
  psnr.declared = true;
  defs.add(psnr);
  return defs;
}

Comparison one_run(json value, json reference, double tolerance = 0,
                   core::RunStatus status = core::RunStatus::ok) {
  return compare({run_record("default/base/a.png", std::move(value), status)},
                 {run_record("default/base/a.png", std::move(reference))}, psnr_defs(tolerance),
                 CompareOptions{});
}

TEST(VerdictTest, EachGateSaysWhatItFailsOn) {
  Comparison regressed = one_run({{"psnr", 30.0}}, {{"psnr", 32.0}});
  ASSERT_EQ(regressed.totals.regressions, 1U);
  regressed.gate = Gate::failed;
  EXPECT_TRUE(judge(regressed).passed);
  EXPECT_EQ(verdict_title(judge(regressed)), "passed: no run failed (gate: failed runs)");
  regressed.gate = Gate::regression;
  EXPECT_FALSE(judge(regressed).passed);
  EXPECT_EQ(verdict_title(judge(regressed)),
            "failed: 1 regression (gate: failed runs and regressions)");
  regressed.gate = Gate::never;
  EXPECT_TRUE(judge(regressed).passed);
  EXPECT_EQ(judge(regressed).why, "not gated (--fail-on never)");

  Comparison crashed = one_run({{"psnr", 30.0}}, {{"psnr", 30.0}}, 0, core::RunStatus::failed);
  crashed.gate = Gate::failed;
  EXPECT_EQ(verdict_title(judge(crashed)), "failed: 1 run failed (gate: failed runs)");
  crashed.gate = Gate::never;
  EXPECT_TRUE(judge(crashed).passed);

  Comparison fine = one_run({{"psnr", 33.0}}, {{"psnr", 32.0}});
  fine.gate = Gate::regression;
  EXPECT_EQ(verdict_title(judge(fine)),
            "passed: no run failed or regressed (gate: failed runs and regressions)");
}

TEST(VerdictTest, GatesParseFromTheirOptionValues) {
  EXPECT_EQ(parse_gate("failed"), Gate::failed);
  EXPECT_EQ(parse_gate("regression"), Gate::regression);
  EXPECT_EQ(parse_gate("never"), Gate::never);
  EXPECT_EQ(parse_gate("always"), std::nullopt);
  for (const Gate gate : {Gate::failed, Gate::regression, Gate::never}) {
    EXPECT_EQ(parse_gate(to_string(gate)), gate);
  }
}

TEST(VerdictTest, ARegressionNamesItsMetricDeltaAndTolerance) {
  const Comparison beyond = one_run({{"psnr", 30.0}}, {{"psnr", 32.0}}, 0.01);
  ASSERT_EQ(beyond.runs.at(0).verdict, RunVerdict::regression);
  EXPECT_EQ(explain(beyond.defs, beyond.runs[0]), "PSNR -2.00 (-6.2%) beyond its tolerance of 1%");

  const Comparison strict = one_run({{"psnr", 30.0}}, {{"psnr", 32.0}}, 0);
  EXPECT_EQ(explain(strict.defs, strict.runs.at(0)), "PSNR -2.00 (-6.2%) with no tolerance");

  const Comparison within = one_run({{"psnr", 31.9}}, {{"psnr", 32.0}}, 0.05);
  ASSERT_EQ(within.runs.at(0).verdict, RunVerdict::worse);
  EXPECT_EQ(explain(within.defs, within.runs[0]), "PSNR -0.10 (-0.3%) within its tolerance of 5%");

  const Comparison better = one_run({{"psnr", 33.0}}, {{"psnr", 32.0}});
  EXPECT_EQ(explain(better.defs, better.runs.at(0)), "PSNR +1.00 (+3.1%)");

  const Comparison same = one_run({{"psnr", 32.0}}, {{"psnr", 32.0}});
  EXPECT_EQ(explain(same.defs, same.runs.at(0)), "");
}

TEST(VerdictTest, FailedMissingAndNewRunsSayWhatHappened) {
  core::RunRecord crashed = run_record("default/base/a.png", {}, core::RunStatus::failed);
  crashed.exit_code = 139;
  const Comparison comparison =
      compare({crashed, run_record("default/base/new.png")},
              {run_record("default/base/a.png"), run_record("default/base/gone.png")}, {},
              CompareOptions{});
  std::vector<std::string> reasons;
  for (const auto& run : comparison.runs) {
    reasons.push_back(std::string(to_string(run.verdict)) + ": " + explain(comparison.defs, run));
  }
  EXPECT_EQ(reasons,
            (std::vector<std::string>{"failed: status failed, exit code 139",
                                      "missing: the reference has this run, this commit does not",
                                      "new: no reference run"}));
}

TEST(VerdictTest, QatoolsOwnMeasuresAreNeverCalledWorseUnlessDeclared) {
  const Comparison slower =
      compare({run_record("default/base/a.png", {{"compute_time", 9.0}, {"peak_rss_mb", 900.0}})},
              {run_record("default/base/a.png", {{"compute_time", 1.0}, {"peak_rss_mb", 100.0}})},
              {}, CompareOptions{});
  const auto& run = slower.runs.at(0);
  EXPECT_EQ(run.verdict, RunVerdict::unchanged);
  for (const auto& metric : run.metrics) {
    EXPECT_EQ(metric.verdict, MetricVerdict::changed) << metric.name;
    ASSERT_TRUE(metric.delta.has_value());
  }
  EXPECT_EQ(explain(slower.defs, run), "");

  core::MetricDefs declared;
  core::MetricDef time;
  time.name = "compute_time";
  time.label = "time";
  time.short_label = "time";
  time.declared = true;
  time.tolerance = 0.5;
  declared.add(time);
  const Comparison judged = compare({run_record("default/base/a.png", {{"compute_time", 9.0}})},
                                    {run_record("default/base/a.png", {{"compute_time", 1.0}})},
                                    declared, CompareOptions{});
  EXPECT_EQ(judged.runs.at(0).verdict, RunVerdict::regression);
  EXPECT_EQ(explain(judged.defs, judged.runs[0]),
            "time +8.000 (+800.0%) beyond its tolerance of 50%");
}

TEST(VerdictTest, AtMostThreeMetricsAreNamed) {
  json value = json::object();
  json reference = json::object();
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    value[name] = 2.0;
    reference[name] = 1.0;
  }
  const Comparison comparison =
      compare({run_record("default/base/x", value)}, {run_record("default/base/x", reference)}, {},
              CompareOptions{});
  EXPECT_EQ(explain(comparison.defs, comparison.runs.at(0)),
            "a +1.000 (+100.0%) with no tolerance; b +1.000 (+100.0%) with no tolerance; c +1.000 "
            "(+100.0%) with no tolerance; and 2 more");
}

}  // namespace
}  // namespace qa::report
