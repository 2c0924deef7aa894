#include <qa/report/format.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qa::report {
namespace {

using nlohmann::json;

core::MetricDef psnr_def() {
  core::MetricDef def;
  def.name = "psnr";
  def.label = "PSNR";
  def.short_label = "PSNR";
  def.smaller_is_better = false;
  def.suffix = " dB";
  def.precision = 2;
  return def;
}

MetricComparison metric(std::string name, json value, json reference, std::optional<double> delta,
                        std::optional<double> relative, MetricVerdict verdict,
                        bool informational = false) {
  return MetricComparison{std::move(name), std::move(value), std::move(reference), delta,
                          relative,        verdict,          informational};
}

TEST(FormatValueTest, NumbersAreScaledRoundedAndSuffixed) {
  auto def = psnr_def();
  EXPECT_EQ(format_value(def, 31.2), "31.20 dB");
  EXPECT_EQ(format_value(def, 7), "7.00 dB");
  def.scale = 100;
  def.precision = 1;
  def.suffix = "%";
  EXPECT_EQ(format_value(def, 0.1234), "12.3%");
  EXPECT_EQ(format_value(def, "n/a"), "n/a");
  EXPECT_EQ(format_value(def, nullptr), "-");
  EXPECT_EQ(format_value(def, true), "true");
}

TEST(FormatDeltaTest, SignedDeltaWithTheRelativeChangeWhenKnown) {
  const auto def = psnr_def();
  EXPECT_EQ(format_delta(def, metric("psnr", 31.5, 30.0, 1.5, 0.05, MetricVerdict::better)),
            "+1.50 (+5.0%)");
  EXPECT_EQ(format_delta(def, metric("psnr", 29.5, 30.0, -0.5, -0.5 / 30, MetricVerdict::worse)),
            "-0.50 (-1.7%)");
  EXPECT_EQ(format_delta(def, metric("psnr", 1.2, 0.0, 1.2, std::nullopt, MetricVerdict::better)),
            "+1.20");
  EXPECT_EQ(format_delta(def, metric("psnr", 1.0, 1.0, 0.0, 0.0, MetricVerdict::unchanged)), "");
  EXPECT_EQ(format_delta(
                def, metric("psnr", "a", "b", std::nullopt, std::nullopt, MetricVerdict::changed)),
            "");
}

TEST(FormatValueTest, QatoolsOwnMeasuresAreInHumanUnitsUnlessDeclared) {
  core::MetricDef time;
  time.name = "compute_time";
  EXPECT_EQ(format_value(time, 0.85), "850 ms");
  EXPECT_EQ(format_value(time, 0.0042), "4.20 ms");
  EXPECT_EQ(format_value(time, 2.314), "2.31 s");
  EXPECT_EQ(format_value(time, 42.0), "42.0 s");
  EXPECT_EQ(format_value(time, 245.0), "4 min 5 s");
  EXPECT_EQ(format_value(time, 3720.0), "1 h 2 min");
  EXPECT_EQ(format_delta(time, metric("compute_time", 1.5, 1.0, 0.5, 0.5, MetricVerdict::changed)),
            "+500 ms (+50.0%)");
  EXPECT_EQ(
      format_delta(time, metric("compute_time", 1.0, 3.0, -2.0, -2.0 / 3, MetricVerdict::changed)),
      "-2.00 s (-66.7%)");
  core::MetricDef memory;
  memory.name = "peak_rss_mb";
  EXPECT_EQ(format_value(memory, 0.5), "512 KiB");
  EXPECT_EQ(format_value(memory, 120.4), "120 MiB");
  EXPECT_EQ(format_value(memory, 1536.0), "1.50 GiB");
  // A metrics file that declares them keeps its own precision and suffix.
  time.declared = true;
  time.precision = 1;
  time.suffix = " s";
  EXPECT_EQ(format_value(time, 0.85), "0.8 s");
}

TEST(MetricCellTest, ValueThenChangeOrADashWhenTheRunHasNoSuchMetric) {
  RunComparison run;
  run.metrics.push_back(metric("psnr", 31.5, 30.0, 1.5, 0.05, MetricVerdict::better));
  run.metrics.push_back(metric("ssim", 0.9, 0.9, 0.0, 0.0, MetricVerdict::unchanged));
  ASSERT_NE(find_metric(run, "ssim"), nullptr);
  EXPECT_EQ(find_metric(run, "ssim")->name, "ssim");
  EXPECT_EQ(find_metric(run, "lpips"), nullptr);
  EXPECT_EQ(metric_cell(psnr_def(), run), "31.50 dB +1.50 (+5.0%)");
  core::MetricDef ssim;
  ssim.name = "ssim";
  EXPECT_EQ(metric_cell(ssim, run), "0.900");
  core::MetricDef lpips;
  lpips.name = "lpips";
  EXPECT_EQ(metric_cell(lpips, run), "-");
}

TEST(ShortCommitTest, TwelveCharactersOrNone) {
  EXPECT_EQ(short_commit("0123456789abcdef0123456789abcdef01234567"), "0123456789ab");
  EXPECT_EQ(short_commit("abc"), "abc");
  EXPECT_EQ(short_commit(""), "none");
}

TEST(SummaryMetricsTest, MainMetricsElseTheFirstUserMetrics) {
  Comparison comparison;
  comparison.metric_order = {"psnr", "compute_time", "ssim", "lpips", "err"};
  EXPECT_EQ(summary_metrics(comparison), (std::vector<std::string>{"psnr", "ssim", "lpips"}));
  EXPECT_EQ(summary_metrics(comparison, 1), (std::vector<std::string>{"psnr"}));
  comparison.defs.add(psnr_def());
  comparison.defs.set_main({"err", "psnr"});
  EXPECT_EQ(summary_metrics(comparison), (std::vector<std::string>{"err", "psnr"}));
}

TEST(RunNotesTest, ExitCodeAndNotableMetricsThatAreNotShown) {
  Comparison comparison;
  core::MetricDef err;
  err.name = "max_err";
  err.short_label = "Max err";
  err.precision = 0;
  comparison.defs.add(err);
  core::RunRecord record;
  record.status = core::RunStatus::failed;
  record.exit_code = 3;
  RunComparison run;
  run.verdict = RunVerdict::failed;
  run.record = &record;
  run.metrics = {
      metric("max_err", 45.0, 41.0, 4.0, 4.0 / 41, MetricVerdict::regression),
      metric("psnr", 29.0, 30.0, -1.0, -1.0 / 30, MetricVerdict::worse),       // shown: no note
      metric("compute_time", 9.0, 1.0, 8.0, 8.0, MetricVerdict::worse, true),  // informational
      metric("ssim", nullptr, 0.9, std::nullopt, std::nullopt, MetricVerdict::missing),
      metric("lpips", 0.1, 0.2, -0.1, -0.5, MetricVerdict::better),
  };
  EXPECT_EQ(run_notes(comparison, run, {"psnr"}),
            "failed, exit code 3; Max err +4 (+9.8%) regression; ssim missing");
  record.status = core::RunStatus::timeout;
  record.exit_code.reset();
  run.metrics.clear();
  EXPECT_EQ(run_notes(comparison, run, {}), "timeout");
  run.verdict = RunVerdict::unchanged;
  EXPECT_EQ(run_notes(comparison, run, {}), "");
}

TEST(HeadlineTest, SaysWhatWasComparedWithWhatAndWhy) {
  Comparison comparison;
  comparison.project = "acme/demo";
  comparison.commit = "0123456789abcdef0123456789abcdef01234567";
  comparison.branch = "feature";
  comparison.reference = {{"commit", std::string(40, 'a')}, {"reason", "merge-base with main"}};
  EXPECT_EQ(headline(comparison),
            "acme/demo 0123456789ab (feature) against aaaaaaaaaaaa: merge-base with main");
  comparison.branch.reset();
  comparison.reference = {{"commit", nullptr}};
  EXPECT_EQ(headline(comparison), "acme/demo 0123456789ab without reference");
  comparison.reference = json::object();
  EXPECT_EQ(headline(comparison), "acme/demo 0123456789ab without reference");
}

TEST(CountsSentenceTest, NonZeroCountsInOrderOfSeverity) {
  Counts counts;
  EXPECT_EQ(counts_sentence(counts), "0 runs");
  counts.runs = 12;
  counts.failed = 1;
  counts.regressions = 1;
  counts.better = 3;
  counts.new_runs = 2;
  EXPECT_EQ(counts_sentence(counts), "12 runs: 1 failed, 1 regression, 3 better, 2 new");
  counts.regressions = 2;
  counts.missing = 1;
  counts.worse = 4;
  counts.unchanged = 5;
  counts.bit_identical = 7;
  EXPECT_EQ(counts_sentence(counts),
            "12 runs: 1 failed, 2 regressions, 1 missing, 4 worse, 3 better, 5 unchanged, 2 new; "
            "outputs 7 identical, 0 different");
}

}  // namespace
}  // namespace qa::report
