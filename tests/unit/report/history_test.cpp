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
  EXPECT_EQ(commits[0]["sha"], sha_of('c'));
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

}  // namespace
}  // namespace qa::report
