// The Markdown and text writers of the history (report/history_markdown.cpp).
#include <qa/report/history.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/history_inputs.hpp"

namespace qa::report {
namespace {

using nlohmann::json;
using test::psnr_defs;
using test::sha_of;
using test::three_commits;

core::RunRecord record(const std::string& key, json metrics) {
  return test::history_record(key, std::move(metrics));
}

TEST(HistoryMarkdownTest, MarkdownTablesTheMainMetricsWithTrendArrows) {
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

TEST(HistoryMarkdownTest, MarkdownEscapesHostileStringsAndRefusesUnsafeLinks) {
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

TEST(HistoryMarkdownTest, MarkdownStaysUnderItsLimitLeavingOutTheOldestCommits) {
  std::vector<HistoryInput> inputs;
  for (int i = 0; i < 400; ++i) {
    std::vector<core::RunRecord> records;
    for (int g = 0; g < 4; ++g) {
      records.push_back(
          record("default/config" + std::to_string(g) + "/a.png", {{"psnr", 30.0 + i % 7}}));
    }
    inputs.push_back(HistoryInput{sha_of(static_cast<char>('a' + i % 6)),
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

TEST(HistoryMarkdownTest, TextSaysEachCommitOnOneLine) {
  const History history = make_history("acme/demo", "main", {}, three_commits(), psnr_defs());
  EXPECT_EQ(history_to_text(history),
            "history of main (acme/demo): 2 commits with results, 1 without\n"
            "cccccccccccc 2026-11-27 third: 2 ok, 1 failed; default/base psnr 33.0 dB\n"
            "bbbbbbbbbbbb 2026-11-26 second: no results\n"
            "aaaaaaaaaaaa - : 1 ok, 0 failed; default/base psnr 30.0 dB\n");
}

}  // namespace
}  // namespace qa::report
