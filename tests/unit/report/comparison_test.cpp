#include <qa/report/comparison.hpp>

#include <qa/util/hash.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"

#include <cmath>
#include <string_view>
#include <type_traits>

namespace qa::report {
namespace {

using nlohmann::json;

core::MetricDef def(bool smaller_is_better, double tolerance = 0) {
  core::MetricDef d;
  d.name = "m";
  d.smaller_is_better = smaller_is_better;
  d.tolerance = tolerance;
  return d;
}

TEST(CompareMetricTest, DirectionDecidesBetterOrWorse) {
  EXPECT_EQ(compare_metric(def(false), 31.0, 30.0).verdict, MetricVerdict::better);
  EXPECT_EQ(compare_metric(def(true), 31.0, 30.0).verdict, MetricVerdict::regression);
  EXPECT_EQ(compare_metric(def(true), 29.0, 30.0).verdict, MetricVerdict::better);
  EXPECT_EQ(compare_metric(def(true), 30, 30.0).verdict, MetricVerdict::unchanged);
}

TEST(CompareMetricTest, ToleranceIsRelativeAndInclusive) {
  // 1% allowed: -1% is worse, -1.5% a regression.
  EXPECT_EQ(compare_metric(def(false, 0.01), 99.0, 100.0).verdict, MetricVerdict::worse);
  EXPECT_EQ(compare_metric(def(false, 0.01), 98.5, 100.0).verdict, MetricVerdict::regression);
  // The relative change is taken against |reference|: negative references work.
  const auto negative = compare_metric(def(false, 0.1), -105.0, -100.0);
  EXPECT_EQ(negative.verdict, MetricVerdict::worse);
  ASSERT_TRUE(negative.relative);
  EXPECT_DOUBLE_EQ(*negative.relative, -0.05);
}

TEST(CompareMetricTest, ZeroReferenceHasNoRelativeChange) {
  const auto result = compare_metric(def(true, 0.5), 1.0, 0.0);
  EXPECT_FALSE(result.relative);
  ASSERT_TRUE(result.delta);
  EXPECT_DOUBLE_EQ(*result.delta, 1.0);
  EXPECT_EQ(result.verdict, MetricVerdict::regression);
}

TEST(CompareMetricTest, InformationalMetricsAreChangedNeverBetterOrWorse) {
  core::MetricDef d = def(true);
  d.informational = true;
  const auto slower = compare_metric(d, 3.0, 1.0);
  EXPECT_EQ(slower.verdict, MetricVerdict::changed);
  EXPECT_TRUE(slower.informational);
  ASSERT_TRUE(slower.delta);
  EXPECT_DOUBLE_EQ(*slower.delta, 2.0);
  EXPECT_EQ(compare_metric(d, 1.0, 3.0).verdict, MetricVerdict::changed);
  EXPECT_EQ(compare_metric(d, 1.0, 1.0).verdict, MetricVerdict::unchanged);
}

TEST(CompareMetricTest, NonNumbersAreChangedOrUnchanged) {
  EXPECT_EQ(compare_metric(def(true), "a", "a").verdict, MetricVerdict::unchanged);
  EXPECT_EQ(compare_metric(def(true), "a", "b").verdict, MetricVerdict::changed);
  EXPECT_EQ(compare_metric(def(true), true, false).verdict, MetricVerdict::changed);
  EXPECT_EQ(compare_metric(def(true), 1.0, nullptr).verdict, MetricVerdict::new_metric);
  EXPECT_EQ(compare_metric(def(true), nullptr, 1.0).verdict, MetricVerdict::missing);
}

TEST(StatsTest, MeanMedianMinMax) {
  const auto odd = stats_of({3, 1, 2});
  EXPECT_EQ(odd.count, 3U);
  EXPECT_DOUBLE_EQ(odd.mean, 2);
  EXPECT_DOUBLE_EQ(odd.median, 2);
  EXPECT_DOUBLE_EQ(odd.min, 1);
  EXPECT_DOUBLE_EQ(odd.max, 3);
  EXPECT_DOUBLE_EQ(stats_of({4, 1, 2, 3}).median, 2.5);
  EXPECT_EQ(stats_of({}).count, 0U);
}

core::RunRecord record(const std::string& key, core::RunStatus status, json metrics) {
  return test::run_record(key, std::move(metrics), status);
}

TEST(CompareTest, RunVerdictsAndCounts) {
  using core::RunStatus;
  std::vector<core::RunRecord> records{
      record("default/base/a", RunStatus::ok, {{"m", 1.0}}),
      record("default/base/b", RunStatus::failed, json::object()),
      record("default/base/c", RunStatus::ok, {{"m", 1.0}}),
      record("default/other/d", RunStatus::ok, {{"m", 2.0}, {"compute_time", 9.0}}),
      // A rerun of a in the same stream: the later record wins.
      record("default/base/a", RunStatus::ok, {{"m", 0.5}}),
  };
  std::vector<core::RunRecord> reference{
      record("default/base/a", RunStatus::ok, {{"m", 1.0}}),
      record("default/base/b", RunStatus::ok, {{"m", 1.0}}),
      record("default/base/gone", RunStatus::ok, {{"m", 1.0}}),
      record("default/other/d", RunStatus::ok, {{"m", 2.0}, {"compute_time", 1.0}}),
  };
  const auto comparison = compare(records, reference, core::MetricDefs{}, CompareOptions{});
  ASSERT_EQ(comparison.runs.size(), 5U);
  // By severity, then key.
  EXPECT_EQ(comparison.runs[0].key, "default/base/b");
  EXPECT_EQ(comparison.runs[0].verdict, RunVerdict::failed);
  EXPECT_EQ(comparison.runs[1].key, "default/base/gone");
  EXPECT_EQ(comparison.runs[1].verdict, RunVerdict::missing);
  EXPECT_FALSE(comparison.runs[1].bitacc);
  EXPECT_EQ(comparison.runs[2].key, "default/base/a");
  EXPECT_EQ(comparison.runs[2].verdict, RunVerdict::better);  // m is smaller, by default better
  // compute_time got worse, but qatools' own metrics only inform.
  EXPECT_EQ(comparison.runs[3].key, "default/other/d");
  EXPECT_EQ(comparison.runs[3].verdict, RunVerdict::unchanged);
  EXPECT_EQ(comparison.runs[4].verdict, RunVerdict::new_run);

  EXPECT_EQ(comparison.totals.runs, 5U);
  EXPECT_EQ(comparison.totals.ok, 3U);
  EXPECT_EQ(comparison.totals.failed, 1U);
  EXPECT_EQ(comparison.totals.missing, 1U);
  EXPECT_EQ(comparison.totals.new_runs, 1U);
  ASSERT_EQ(comparison.groups.size(), 2U);
  EXPECT_EQ(comparison.groups[0].config, "base");
  EXPECT_EQ(comparison.groups[0].counts.runs, 4U);
  ASSERT_FALSE(comparison.groups[0].metrics.empty());
  EXPECT_EQ(comparison.groups[0].metrics[0].name, "m");
  EXPECT_EQ(comparison.groups[0].metrics[0].value.count, 2U);      // a and c
  EXPECT_EQ(comparison.groups[0].metrics[0].reference.count, 3U);  // a, b and gone
  // User metrics come before qatools' own.
  EXPECT_EQ(comparison.metric_order, (std::vector<std::string>{"m", "compute_time"}));
}

TEST(CompareTest, ReferenceRunsKeepWhatTheReportsShow) {
  auto with_params = [](core::RunRecord r) {
    r.params = {{"strength", 0.5}};
    r.configs = json::array({"base"});
    r.files["out.png"] = core::FileEntry{util::hash_bytes(std::string_view("out")), 3};
    return r;
  };
  const auto a = with_params(record("default/base/a", core::RunStatus::ok, {{"m", 1.0}}));
  const auto gone = with_params(record("default/base/gone", core::RunStatus::failed, {{"m", 2.0}}));
  const auto comparison = compare({a}, {a, gone}, core::MetricDefs{},
                                  CompareOptions{core::FileSelection{}, Strict::no});
  ASSERT_EQ(comparison.runs.size(), 2U);
  // A missing run is described by its reference run: all of it stays.
  const RunComparison& missing = comparison.runs[0];
  ASSERT_EQ(missing.key, "default/base/gone");
  ASSERT_NE(missing.reference, nullptr);
  EXPECT_EQ(missing.reference->params, (json{{"strength", 0.5}}));
  EXPECT_EQ(missing.reference->configs, json::array({"base"}));
  EXPECT_EQ(missing.reference->metrics, (json{{"m", 2.0}}));
  // A reference run beside its new run keeps its status and files; its metrics live on in the
  // run's comparison.
  const RunComparison& paired = comparison.runs[1];
  ASSERT_EQ(paired.key, "default/base/a");
  ASSERT_NE(paired.reference, nullptr);
  EXPECT_EQ(paired.reference->status, core::RunStatus::ok);
  EXPECT_EQ(paired.reference->files, a.files);
  ASSERT_EQ(paired.metrics.size(), 1U);
  EXPECT_EQ(paired.metrics[0].reference, json(1.0));
  EXPECT_EQ(paired.bitacc->verdict, BitaccVerdict::identical);
}

static_assert(!std::is_copy_constructible_v<Comparison>,
              "a copy's runs would point into the original's records");
static_assert(std::is_nothrow_move_constructible_v<Comparison>);

TEST(CompareTest, AMovedComparisonStillPointsIntoItsOwnRecords) {
  const std::vector<core::RunRecord> records{record("default/base/a", core::RunStatus::ok, {}),
                                             record("default/base/b", core::RunStatus::ok, {})};
  const std::vector<core::RunRecord> reference = records;
  auto original = compare(records, reference, core::MetricDefs{}, CompareOptions{});
  const Comparison moved = std::move(original);
  ASSERT_EQ(moved.runs.size(), 2U);
  for (const auto& run : moved.runs) {
    ASSERT_NE(run.record, nullptr);
    ASSERT_NE(run.reference, nullptr);
    EXPECT_GE(run.record, moved.records.data());
    EXPECT_LT(run.record, moved.records.data() + moved.records.size());
    EXPECT_GE(run.reference, moved.reference_records.data());
    EXPECT_LT(run.reference, moved.reference_records.data() + moved.reference_records.size());
    EXPECT_EQ(run.record->key, run.key);
  }
}

}  // namespace
}  // namespace qa::report
