// report_to_markdown beyond the golden file (report_writers_test.cpp): the verdict in the title,
// the marker of a single label, the aggregates with their reference, and the size limit with
// wide tables.
#include <qa/report/report_writers.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"

#include <string>
#include <vector>

namespace qa::report {
namespace {

using nlohmann::json;

core::RunRecord record(const std::string& key, json metrics,
                       core::RunStatus status = core::RunStatus::ok) {
  return test::run_record(key, std::move(metrics), status);
}

TEST(ReportMarkdownTest, TitleSaysTheVerdictUnderTheGate) {
  const std::vector<core::RunRecord> same{record("nightly/base/a.png", {{"psnr", 30.0}})};
  const std::string ok = report_to_markdown(compare(same, same, {}, CompareOptions{}));
  EXPECT_TRUE(
      ok.starts_with("<!-- qa-report:nightly -->\n### ✅ qa-report passed: no run failed "
                     "(gate: failed runs)\n\n**acme/demo bbbbbbbbbbbb without "
                     "reference**\n\n1 runs: 1 unchanged; outputs 1 identical, 0 "
                     "different\n"))
      << ok;
  EXPECT_EQ(ok.find("#### Changed runs"), std::string::npos);

  const std::vector<core::RunRecord> worse{record("nightly/base/a.png", {{"psnr", 35.0}})};
  Comparison regressed = compare(worse, same, {}, CompareOptions{});
  regressed.gate = Gate::regression;
  const std::string bad = report_to_markdown(regressed);
  EXPECT_TRUE(
      bad.starts_with("<!-- qa-report:nightly -->\n### ❌ qa-report failed: 1 regression "
                      "(gate: failed runs and regressions)\n"))
      << bad;
  EXPECT_NE(bad.find("\n1 runs: 1 regression; outputs 1 identical, 0 different\n"),
            std::string::npos)
      << bad;
  EXPECT_NE(bad.find("#### Changed runs (1)\n"), std::string::npos) << bad;
  EXPECT_NE(bad.find("| 🔴 regression | a.png | base |"), std::string::npos) << bad;
}

TEST(ReportMarkdownTest, TheHeadlineLinksToTheCommitMergeRequestAndJob) {
  const std::vector<core::RunRecord> same{record("nightly/base/a.png", {{"psnr", 30.0}})};
  Comparison comparison = compare(same, same, {}, CompareOptions{});
  comparison.links.commit = "https://forge.example.com/acme/-/commit/bbbb";
  comparison.links.merge_request = "https://forge.example.com/acme/-/merge_requests/(4)";
  comparison.links.job = "https://forge.example.com/acme/-/jobs/9";
  const std::string md = report_to_markdown(comparison);
  EXPECT_NE(md.find("reference** · [commit](https://forge.example.com/acme/-/commit/bbbb) · "
                    "[merge request](https://forge.example.com/acme/-/merge_requests/%284%29) · "
                    "[CI job](https://forge.example.com/acme/-/jobs/9)\n"),
            std::string::npos)
      << md;
}

TEST(ReportMarkdownTest, AggregatesShowTheMeanAndTheReferenceMean) {
  const std::string md = report_to_markdown(
      compare({record("default/base/a.png", {{"psnr", 30.0}}),
               record("default/base/b.png", {{"psnr", 32.0}}),
               record("default/fast/a.png", {{"psnr", 20.0}})},
              {record("default/base/a.png", {{"psnr", 29.0}})}, {}, CompareOptions{}));
  EXPECT_NE(md.find("| label | config | runs | ok | failed | missing | psnr mean (reference) |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| default | base | 2 | 2 | 0 | 0 | 31.000 (29.000) |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| default | fast | 1 | 1 | 0 | 0 | 20.000 |\n"), std::string::npos) << md;
}

// A comparison whose tables are wide: 8 main metrics with long labels; 40 changed runs and 20
// unchanged ones.
Comparison wide_comparison() {
  core::MetricDefs defs;
  std::vector<std::string> main;
  json metrics = json::object();
  json reference_metrics = json::object();
  for (int i = 0; i < 8; ++i) {
    core::MetricDef def;
    def.name = "metric_" + std::to_string(i);
    def.short_label = "A rather long metric label " + std::to_string(i);
    def.label = def.short_label;
    defs.add(def);
    main.push_back(def.name);
    metrics[def.name] = 2.0;
    reference_metrics[def.name] = 1.0;
  }
  defs.set_main(main);
  std::vector<core::RunRecord> records;
  std::vector<core::RunRecord> reference;
  for (int i = 0; i < 60; ++i) {
    const std::string key = "default/base/input-" + std::to_string(i) + ".png";
    records.push_back(record(key, i < 40 ? metrics : reference_metrics));
    reference.push_back(record(key, reference_metrics));
  }
  return compare(records, reference, defs, CompareOptions{});
}

TEST(ReportMarkdownTest, ACutSummaryWithWideTablesEndsWithTheNote) {
  const Comparison comparison = wide_comparison();
  const std::string whole = report_to_markdown(comparison);
  ASSERT_GT(whole.size(), 8000U);
  for (const std::size_t limit : {8000U, 3000U}) {
    const std::string cut = report_to_markdown(comparison, limit);
    EXPECT_LE(cut.size(), limit) << "limit " << limit;
    EXPECT_NE(cut.find("more runs not shown: this summary is limited to " + std::to_string(limit) +
                       " characters"),
              std::string::npos);
    EXPECT_TRUE(cut.ends_with("reports have every run._\n"));
    // Changed runs come first: the unchanged ones are the first left out.
    EXPECT_NE(cut.find("input-0.png"), std::string::npos);
    EXPECT_EQ(cut.find("input-59.png"), std::string::npos);
  }
}

TEST(ReportMarkdownTest, TheLimitHoldsWhateverTheWidthOfTheTables) {
  // Wide tables make the closing parts (a section's header, the note) outgrow a fixed reserve.
  const Comparison comparison = wide_comparison();
  for (std::size_t limit = 2000; limit <= 9000; limit += 250) {
    EXPECT_LE(report_to_markdown(comparison, limit).size(), limit) << "limit " << limit;
  }
}

TEST(ReportMarkdownTest, TheLimitHoldsWithManyLabelsAndConfigs) {
  // 400 label and config groups: the marker and the aggregates alone used to exceed the limit.
  std::vector<core::RunRecord> records;
  for (int i = 0; i < 400; ++i) {
    const std::string label = "label-" + std::to_string(i) + "-" + std::string(50, 'x');
    records.push_back(record(label + "/config-" + std::string(60, 'c') + "/in.png", {{"psnr", i}}));
  }
  const Comparison comparison = compare(records, records, {}, CompareOptions{});
  for (const std::size_t limit : {k_markdown_limit, std::size_t{20000}, std::size_t{1000}}) {
    const std::string md = report_to_markdown(comparison, limit);
    EXPECT_LE(md.size(), limit) << "limit " << limit;
    EXPECT_NE(md.find("more groups of the aggregates not shown"), std::string::npos) << md;
  }
  const std::string md = report_to_markdown(comparison);
  const std::string marker = md.substr(0, md.find('\n'));
  EXPECT_LE(marker.size(), 240U);
  EXPECT_TRUE(marker.starts_with("<!-- qa-report:label-0-xx")) << marker;
  EXPECT_TRUE(marker.ends_with(",+397 -->")) << marker;
}

TEST(ReportMarkdownTest, AHeadlineOverTheLimitIsCut) {
  auto one = record("default/base/in.png", {{"psnr", 1}});
  one.project = std::string(5000, 'p') + "\xc3\xa9";
  const Comparison comparison = compare({one}, {one}, {}, CompareOptions{});
  const std::string md = report_to_markdown(comparison, 3000);
  EXPECT_LE(md.size(), 3000U);
  EXPECT_TRUE(md.ends_with("_cut at 3000 characters._\n")) << md.substr(md.size() - 100);
  EXPECT_EQ(report_to_markdown(comparison, 10).size(), 10U);
}

}  // namespace
}  // namespace qa::report
