#include <qa/runner/plan_file.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

ProjectContext context_at(const std::string& sha) {
  ProjectContext context;
  context.config.name = "acme/denoise";
  context.commit.sha = sha;
  return context;
}

TEST(PlanFileTest, RunsRoundTripInTheirOrder) {
  const test::TempDir tmp;
  RunSpec a;
  a.input = "b/street night.png";
  a.rel_input_path = "street night.png";
  a.input_path = "/data/b/street night.png";
  a.configs = nlohmann::json::array({"fast", {{"strength", 0.5}}});
  a.params = {{"strength", 0.5}};
  a.label = "nightly";
  a.key = "nightly/fast/x";
  a.output_dir = "/out/nightly/fast/x";
  RunSpec b = a;
  b.input = "a.png";
  b.key = "nightly/a";
  const auto context = context_at("0123abcd");
  ASSERT_TRUE(write_plan_file(tmp / "plan.json", context, {a, b}));
  const auto read = read_plan_file(tmp / "plan.json", context);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->size(), 2U);
  EXPECT_EQ((*read)[0].input, a.input);
  EXPECT_EQ((*read)[0].rel_input_path, a.rel_input_path);
  EXPECT_EQ((*read)[0].input_path, a.input_path);
  EXPECT_EQ((*read)[0].configs, a.configs);
  EXPECT_EQ((*read)[0].params, a.params);
  EXPECT_EQ((*read)[0].label, a.label);
  EXPECT_EQ((*read)[0].output_dir, a.output_dir);
  EXPECT_EQ((*read)[1].key, "nightly/a");
}

TEST(PlanFileTest, APlanOfAnotherCommitOrNoPlanIsRefused) {
  const test::TempDir tmp;
  ASSERT_TRUE(write_plan_file(tmp / "plan.json", context_at("aaaa"), {}));
  const auto moved = read_plan_file(tmp / "plan.json", context_at("bbbb"));
  ASSERT_FALSE(moved);
  EXPECT_NE(
      moved.error().message.find("was planned at commit \"aaaa\" but the checkout is at \"bbbb\""),
      std::string::npos)
      << moved.error().message;
  test::write_text(tmp / "bad.json", R"({"schema": 3, "runs": []})");
  const auto bad = read_plan_file(tmp / "bad.json", context_at("aaaa"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("is not a plan file (qa.plan/1)"), std::string::npos);
  test::write_text(
      tmp / "run.json",
      R"({"schema": "qa.plan/1", "project": "acme/denoise", "commit": "aaaa", "runs": [{"key": 1}]})");
  EXPECT_FALSE(read_plan_file(tmp / "run.json", context_at("aaaa")));
}

}  // namespace
}  // namespace qa::runner
