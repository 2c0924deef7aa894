// The best runs of an optimization under their plain keys: which records are kept, how they are
// renamed, and that the comparison then pairs them with the reference's plain runs.
#include <qa/report/optimization_runs.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <qa/report/comparison.hpp>

#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_best_a = "default.iter3/mode=fine,radius=3,sigma=1.4,strength=0.61/a.png";
const std::string k_best_b = "default.iter3/mode=fine,radius=3,sigma=1.4,strength=0.61/b.png";

core::Optimization golden() {
  auto read =
      core::read_optimization(fs::path(QA_SOURCE_DIR) / "tests/golden/report/optimization.json");
  EXPECT_TRUE(read) << read.error().message;
  return read ? *read : core::Optimization{};
}

core::RunRecord record(const std::string& key, double psnr) {
  auto r = test::run_record(key, {{"psnr", psnr}});
  r.params = {{"strength", 0.61}};
  return r;
}

TEST(OptimizationRunsTest, KeepsTheBestEvaluationUnderThePlainKeys) {
  const auto best =
      best_runs({record("default.iter1/strength=0.5/a.png", 30.1), record(k_best_a, 32.0),
                 record(k_best_b, 31.8), record("default.iter3/other/c.png", 31.0)},
                golden());
  EXPECT_EQ(best.left_out, 1U);
  EXPECT_EQ(best.unmapped, std::vector<std::string>{"default.iter3/other/c.png"});
  ASSERT_EQ(best.records.size(), 3U);
  EXPECT_EQ(best.records[0].key, "default/default/a.png");
  EXPECT_EQ(best.records[0].label, "default.iter3");
  EXPECT_EQ(best.records[0].badges[k_evaluation_key_badge], k_best_a);
  EXPECT_EQ(best.records[0].params, (json{{"strength", 0.61}}));
  EXPECT_EQ(best.records[1].key, "default/default/b.png");
  EXPECT_EQ(best.records[2].key, "default.iter3/other/c.png");
  EXPECT_FALSE(best.records[2].badges.contains(k_evaluation_key_badge));
}

TEST(OptimizationRunsTest, NoBestEvaluationKeepsNothing) {
  core::Optimization none = golden();
  none.label.reset();
  none.evaluation.reset();
  none.best_runs.clear();
  const auto best = best_runs({record(k_best_a, 32.0)}, none);
  EXPECT_TRUE(best.records.empty());
  EXPECT_EQ(best.left_out, 1U);
}

TEST(OptimizationRunsTest, PlainKeysOfThePlanOrOfBestRuns) {
  const core::Optimization optimization = golden();
  EXPECT_EQ(plain_keys({}, optimization),
            (std::vector<std::string>{"default/default/a.png", "default/default/b.png"}));
  EXPECT_EQ(plain_keys({k_best_b, "default.iter3/other/c.png"}, optimization),
            (std::vector<std::string>{"default/default/b.png", "default.iter3/other/c.png"}));
}

TEST(OptimizationRunsTest, TheRenamedRunsMeetTheReferencesPlainRuns) {
  auto best = best_runs({record(k_best_a, 32.0), record(k_best_b, 31.0)}, golden());
  const auto comparison = compare(std::move(best.records),
                                  {test::run_record("default/default/a.png", {{"psnr", 31.0}}),
                                   test::run_record("default/default/b.png", {{"psnr", 31.0}})},
                                  {}, CompareOptions{});
  ASSERT_EQ(comparison.runs.size(), 2U);
  EXPECT_EQ(comparison.totals.new_runs, 0U);
  EXPECT_EQ(comparison.totals.missing, 0U);
  for (const auto& run : comparison.runs) {
    ASSERT_NE(run.reference, nullptr) << run.key;
    EXPECT_EQ(run.reference->key, run.key);
    EXPECT_EQ(run.label, "default.iter3");
    EXPECT_EQ(run.config, "default");
  }
}

}  // namespace
}  // namespace qa::report
