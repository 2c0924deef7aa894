#include <qa/report/history.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/records.hpp"

namespace qa::report {
namespace {

using nlohmann::json;

core::RunRecord record(const std::string& key, json metrics,
                       core::RunStatus status = core::RunStatus::ok) {
  return test::run_record(key, std::move(metrics), status);
}

std::string sha(char c) { return std::string(40, c); }

// Three commits, newest first: c (psnr 32 and 34 in base, a failed run in fast), b (a gap), a
// (psnr 30 in base).
std::vector<HistoryInput> three_commits() {
  std::vector<HistoryInput> inputs;
  inputs.push_back(
      HistoryInput{sha('c'),
                   "third",
                   "2026-11-27T10:00:00Z",
                   "git",
                   {record("default/base/a.png", {{"psnr", 32.0}}),
                    record("default/base/b.png", {{"psnr", 34.0}}),
                    record("default/fast/a.png", json::object(), core::RunStatus::failed)}});
  inputs.push_back(HistoryInput{sha('b'), "second", "2026-11-26T10:00:00Z", "git", {}});
  inputs.push_back(HistoryInput{sha('a'),
                                std::nullopt,
                                std::nullopt,
                                "branch_index",
                                {record("default/base/a.png", {{"psnr", 30.0}})}});
  return inputs;
}

core::MetricDefs psnr_defs() {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.precision = 1;
  psnr.suffix = " dB";
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  return defs;
}

TEST(HistoryTest, EachCommitIsAggregatedPerLabelAndConfigGapsCounted) {
  const History history = make_history("acme/demo", "main", {}, three_commits(), psnr_defs());
  EXPECT_EQ(history.with_results, 2U);
  EXPECT_EQ(history.gaps, 1U);
  EXPECT_EQ(history.metric_order, (std::vector<std::string>{"psnr"}));
  ASSERT_EQ(history.commits.size(), 3U);
  const HistoryCommit& newest = history.commits[0];
  EXPECT_TRUE(newest.has_results);
  EXPECT_EQ(newest.totals.ok, 2U);
  EXPECT_EQ(newest.totals.failed, 1U);
  ASSERT_EQ(newest.groups.size(), 2U);
  EXPECT_EQ(newest.groups[0].config, "base");
  ASSERT_EQ(newest.groups[0].metrics.size(), 1U);
  EXPECT_EQ(newest.groups[0].metrics[0].first, "psnr");
  EXPECT_DOUBLE_EQ(newest.groups[0].metrics[0].second.mean, 33.0);
  EXPECT_DOUBLE_EQ(newest.groups[0].metrics[0].second.median, 33.0);
  EXPECT_EQ(newest.groups[0].metrics[0].second.count, 2U);
  EXPECT_EQ(newest.groups[1].config, "fast");
  EXPECT_EQ(newest.groups[1].counts.failed, 1U);
  EXPECT_FALSE(history.commits[1].has_results);
  EXPECT_TRUE(history.commits[1].groups.empty());
}

TEST(HistoryTest, JsonFollowsTheSchema) {
  const History history =
      make_history("acme/demo", "main", {"nightly"}, three_commits(), psnr_defs());
  const json doc = history_to_json(history, "2026-11-28T00:00:00Z");
  EXPECT_EQ(doc["schema"], "qa.history/1");
  EXPECT_EQ(doc["project"], "acme/demo");
  EXPECT_EQ(doc["branch"], "main");
  EXPECT_EQ(doc["batches"], json::array({"nightly"}));
  EXPECT_EQ(doc["generated_at"], "2026-11-28T00:00:00Z");
  EXPECT_TRUE(doc["qatools_version"].is_string());
  EXPECT_EQ(doc["commits_with_results"], 2);
  EXPECT_EQ(doc["gaps"], 1);
  ASSERT_EQ(doc["metrics"].size(), 1U);
  EXPECT_EQ(doc["metrics"][0]["name"], "psnr");
  EXPECT_EQ(doc["metrics"][0]["main"], true);
  EXPECT_EQ(doc["metrics"][0]["smaller_is_better"], false);
  const json& commits = doc["commits"];
  ASSERT_EQ(commits.size(), 3U);
  EXPECT_EQ(commits[0]["sha"], sha('c'));
  EXPECT_EQ(commits[0]["subject"], "third");
  EXPECT_EQ(commits[0]["date"], "2026-11-27T10:00:00Z");
  EXPECT_EQ(commits[0]["source"], "git");
  EXPECT_EQ(commits[0]["has_results"], true);
  EXPECT_EQ(commits[0]["totals"]["ok"], 2);
  EXPECT_EQ(commits[0]["totals"]["failed"], 1);
  const json& base = commits[0]["groups"][0];
  EXPECT_EQ(base["label"], "default");
  EXPECT_EQ(base["config"], "base");
  EXPECT_EQ(base["counts"]["ok"], 2);
  EXPECT_EQ(base["metrics"]["psnr"]["mean"], 33.0);
  EXPECT_EQ(base["metrics"]["psnr"]["count"], 2);
  EXPECT_EQ(commits[1]["has_results"], false);
  EXPECT_EQ(commits[1]["groups"], json::array());
  EXPECT_TRUE(commits[2]["subject"].is_null());
  EXPECT_TRUE(commits[2]["date"].is_null());
  EXPECT_EQ(commits[2]["source"], "branch_index");
}

TEST(HistoryTest, MarkdownTablesTheMainMetricsWithTrendArrows) {
  const History history = make_history("acme/demo", "main", {}, three_commits(), psnr_defs());
  const std::string md = history_to_markdown(history, "history.html");
  EXPECT_TRUE(md.starts_with("## Metric history of main (acme/demo)\n")) << md;
  EXPECT_NE(md.find("[Charts of the history](history.html)"), std::string::npos) << md;
  EXPECT_NE(md.find("### default / base\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| commit | date | subject | runs | PSNR |\n"), std::string::npos) << md;
  // 33 against 30 two commits back (the gap has no value): up, and better.
  EXPECT_NE(md.find("| cccccccccccc | 2026-11-27 | third | 2 ok, 0 failed | 33.0 dB ↑🟢 |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| bbbbbbbbbbbb | 2026-11-26 | second | no results | |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| aaaaaaaaaaaa | - |  | 1 ok, 0 failed | 30.0 dB |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| cccccccccccc | 2026-11-27 | third | 0 ok, 1 failed |"), std::string::npos)
      << md;  // the fast group (every run failed: no value)
}

TEST(HistoryTest, MarkdownEscapesHostileStringsAndRefusesUnsafeLinks) {
  auto inputs = three_commits();
  inputs[0].subject = "<script>alert(1)</script> | [x](javascript:alert(1))";
  inputs[0].records[0].key = "default/<b>|x/a.png";
  const History history = make_history("acme/<i>", "ma|in", {}, std::move(inputs), psnr_defs());
  const std::string md = history_to_markdown(history, "javascript:alert(1)");
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
  EXPECT_EQ(md.find("<b>"), std::string::npos) << md;
  EXPECT_EQ(md.find("<i>"), std::string::npos) << md;
  // The link of the subject is escaped as text; the unsafe --history-url is not written.
  EXPECT_NE(md.find("\\[x\\](javascript:alert(1))"), std::string::npos) << md;
  EXPECT_NE(md.find("&lt;script&gt;alert(1)&lt;/script&gt; \\|"), std::string::npos) << md;
  EXPECT_NE(md.find("ma\\|in"), std::string::npos) << md;
  EXPECT_EQ(md.find("Charts of the history"), std::string::npos) << md;
}

TEST(HistoryTest, MarkdownStaysUnderItsLimitLeavingOutTheOldestCommits) {
  std::vector<HistoryInput> inputs;
  for (int i = 0; i < 400; ++i) {
    std::vector<core::RunRecord> records;
    for (int g = 0; g < 4; ++g) {
      records.push_back(
          record("default/config" + std::to_string(g) + "/a.png", {{"psnr", 30.0 + i % 7}}));
    }
    inputs.push_back(HistoryInput{sha(static_cast<char>('a' + i % 6)),
                                  std::string(60, 's') + std::to_string(i), std::nullopt, "git",
                                  std::move(records)});
  }
  const History history = make_history("acme/demo", "main", {}, std::move(inputs), psnr_defs());
  const std::string md = history_to_markdown(history);
  EXPECT_LE(md.size(), k_history_markdown_max);
  EXPECT_GT(md.size(), k_history_markdown_max / 2);
  EXPECT_NE(md.find("older commits left out"), std::string::npos);
  EXPECT_NE(md.find(std::string(60, 's') + "0 |"), std::string::npos);  // the newest is kept
  EXPECT_EQ(md.find(std::string(60, 's') + "399 |"), std::string::npos);
  const std::string small = history_to_markdown(history, {}, 5000);
  EXPECT_LE(small.size(), 5000U);
}

TEST(HistoryTest, TextSaysEachCommitOnOneLine) {
  const History history = make_history("acme/demo", "main", {}, three_commits(), psnr_defs());
  EXPECT_EQ(history_to_text(history),
            "history of main (acme/demo): 2 commits with results, 1 without\n"
            "cccccccccccc 2026-11-27 third: 2 ok, 1 failed; default/base psnr 33.0 dB\n"
            "bbbbbbbbbbbb 2026-11-26 second: no results\n"
            "aaaaaaaaaaaa - : 1 ok, 0 failed; default/base psnr 30.0 dB\n");
}

TEST(HistoryTest, LinkTargetsAreHttpUrlsOrRelativePaths) {
  for (const char* good : {"history.html", "../main/history.html", "https://qa.example/h.html",
                           "http://host/x?y=1#z"}) {
    EXPECT_TRUE(is_link_target(good)) << good;
  }
  for (const char* bad :
       {"", "javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "/etc/passwd",
        "//evil.example/x", "a b.html", "x\".html", "x<y", "x)(y", "file:///etc/passwd", "x\n"}) {
    EXPECT_FALSE(is_link_target(bad)) << bad;
  }
}

}  // namespace
}  // namespace qa::report
