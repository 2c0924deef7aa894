#include <qa/core/objective.hpp>

#include <cmath>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

// The expected numbers are worked out by hand from QA-Board's qaboard/optimize.py (make_loss,
// make_reduce, batch_objective); each comment shows the formula.

namespace qa::core {
namespace {

using nlohmann::json;

constexpr double k_eps = 1e-12;

Loss loss_named(const std::string& name) {
  const YAML::Node node = YAML::Load("{m: {loss: " + name + "}}");
  const auto spec = read_objective(node, "opt.yaml");
  EXPECT_TRUE(spec) << spec.error().message;
  return spec ? spec->terms.at(0).loss : Loss{};
}

Reduce reduce_named(const std::string& name) {
  const YAML::Node node = YAML::Load("{m: {reduce: " + name + "}}");
  const auto spec = read_objective(node, "opt.yaml");
  EXPECT_TRUE(spec) << spec.error().message;
  return spec ? spec->terms.at(0).reduce : Reduce{};
}

TEST(ObjectiveTest, IdentityLossIsTheSignedValue) {
  // x * (1 if smaller_is_better else -1)
  EXPECT_NEAR(loss_of(loss_named("identity"), 0.25, 0, 0, true), 0.25, k_eps);
  EXPECT_NEAR(loss_of(loss_named("identity"), 32, 0, 0, false), -32, k_eps);
}

TEST(ObjectiveTest, ShiftLossIsTheSignedDistanceToTheTarget) {
  // (x - x_t) * e: (32 - 30) * -1
  EXPECT_NEAR(loss_of(loss_named("shift"), 32, 30, 0, false), -2, k_eps);
  // (0.75 - 0.5) * 1
  EXPECT_NEAR(loss_of(loss_named("shift"), 0.75, 0.5, 0, true), 0.25, k_eps);
}

TEST(ObjectiveTest, RelativeLossIsTheSignedRelativeDistance) {
  // (x - x_t) / x_t * e: (33 - 30) / 30 * -1
  EXPECT_NEAR(loss_of(loss_named("relative"), 33, 30, 0, false), -0.1, k_eps);
  // (0.4 - 0.5) / 0.5 * 1
  EXPECT_NEAR(loss_of(loss_named("relative"), 0.4, 0.5, 0, true), -0.2, k_eps);
}

TEST(ObjectiveTest, ReluLossesAddTheMarginThenClampAtZero) {
  // relu((x - x_t) * e + margin): relu((32 - 30) * -1 + 0.5) = relu(-1.5)
  EXPECT_NEAR(loss_of(loss_named("relu_shift"), 32, 30, 0.5, false), 0, k_eps);
  // relu((29.8 - 30) * -1 + 0.5) = relu(0.7)
  EXPECT_NEAR(loss_of(loss_named("relu_shift"), 29.8, 30, 0.5, false), 0.7, 1e-12);
  // relu((27 - 30) / 30 * -1 + 0.05) = relu(0.15)
  EXPECT_NEAR(loss_of(loss_named("relu_relative"), 27, 30, 0.05, false), 0.15, k_eps);
  // relu(3 * 1 + -1) = 2 (QA-Board raises on relu_identity; qatools computes what it says)
  EXPECT_NEAR(loss_of(loss_named("relu_identity"), 3, 0, -1, true), 2, k_eps);
}

TEST(ObjectiveTest, SquareLossesSquareTheBase) {
  // ((0.75 - 0.5) * 1)^2
  EXPECT_NEAR(loss_of(loss_named("square_shift"), 0.75, 0.5, 0, true), 0.0625, k_eps);
  // ((0.4 - 0.5) / 0.5 * 1)^2 = (-0.2)^2
  EXPECT_NEAR(loss_of(loss_named("square_relative"), 0.4, 0.5, 0, true), 0.04, k_eps);
  // (-3 * 1)^2
  EXPECT_NEAR(loss_of(loss_named("square_identity"), -3, 0, 0, true), 9, k_eps);
}

TEST(ObjectiveTest, SquareReluIsReluAsInQaBoardsCode) {
  // make_loss returns on 'relu' before testing 'square': relu((0.75 - 0.5) / 0.5 + 0.1) = 0.6,
  // not 0.36
  EXPECT_NEAR(loss_of(loss_named("square_relu_relative"), 0.75, 0.5, 0.1, true), 0.6, k_eps);
  EXPECT_NEAR(loss_of(loss_named("relu_square_relative"), 0.75, 0.5, 0.1, true), 0.6, k_eps);
  // relu((0.4 - 0.5) / 0.5 + 0.1) = relu(-0.1)
  EXPECT_NEAR(loss_of(loss_named("square_relu_relative"), 0.4, 0.5, 0.1, true), 0, k_eps);
}

TEST(ObjectiveTest, ReducesNormalizeByTheNumberOfLosses) {
  const std::vector<double> losses = {1, -2, 3, -4};
  // sum(x) / len(x) = -2 / 4
  EXPECT_NEAR(reduce_of(reduce_named("sum"), losses), -0.5, k_eps);
  // relu(sum(x)) / len(x) = relu(-2) / 4
  EXPECT_NEAR(reduce_of(reduce_named("relu"), losses), 0, k_eps);
  // relu(1 + 2) / 2
  EXPECT_NEAR(reduce_of(reduce_named("relu"), {1, 2}), 1.5, k_eps);
  // norm(x, ord=1) / len(x) = (1 + 2 + 3 + 4) / 4
  EXPECT_NEAR(reduce_of(reduce_named("l1"), losses), 2.5, k_eps);
  // norm(x, ord=2) / len(x) = sqrt(1 + 4 + 9 + 16) / 4
  EXPECT_NEAR(reduce_of(reduce_named("l2"), losses), 1.3693063937629153, k_eps);
  // norm(x, ord=3) / len(x) = (1 + 8 + 27 + 64)^(1/3) / 4
  EXPECT_NEAR(reduce_of(reduce_named("l3"), losses), 1.1603972084031948, k_eps);
  // norm(x, ord=0) / len(x): the count of non-zero values, 2 / 4
  EXPECT_NEAR(reduce_of(reduce_named("l0"), {1, 0, 3, 0}), 0.5, k_eps);
  // numpy takes any first letter; qatools takes l and L
  EXPECT_NEAR(reduce_of(reduce_named("L2"), {3, 4}), 2.5, k_eps);
}

MetricDefs metric_defs() {
  MetricDefs defs;
  MetricDef psnr;
  psnr.name = "psnr";
  psnr.smaller_is_better = false;
  psnr.target = 30;
  psnr.declared = true;
  defs.add(psnr);
  MetricDef mse;
  mse.name = "mse";
  mse.declared = true;
  defs.add(mse);
  return defs;
}

ObjectiveSpec objective(const std::string& yaml) {
  const auto spec = read_objective(YAML::Load(yaml), "opt.yaml");
  EXPECT_TRUE(spec) << spec.error().message;
  return spec ? *spec : ObjectiveSpec{};
}

RunOutcome run(const std::string& key, json metrics, bool failed = false) {
  RunOutcome outcome;
  outcome.key = key;
  outcome.metrics = std::move(metrics);
  outcome.failed = failed;
  return outcome;
}

TEST(ObjectiveTest, BatchObjectiveWeighsEachMetricsReducedLosses) {
  const ObjectiveSpec spec = objective(R"(
psnr: {weight: 2, loss: relu_shift, reduce: l2, margin: 0.5}
mse: {weight: 0.5}
target:
)");
  const std::vector<RunOutcome> runs = {
      run("a", {{"psnr", 29.5}, {"mse", 0.2}}),
      run("b", {{"psnr", 31}, {"mse", 0.4}}),
      run("c", {{"psnr", 10}, {"mse", 9}}, true),            // failed: left out
      run("d", {{"psnr", "n/a"}, {"mse", 0.3}}),            // not a number: left out of psnr
      run("e", {{"psnr", 12}, {"mse", 9}, {"is_failed", true}}),  // failed: left out
  };
  const auto value = evaluate_objective(spec, metric_defs(), runs);
  ASSERT_TRUE(value) << value.error().message;
  // psnr (larger is better, target 30): a relu((29.5 - 30) * -1 + 0.5) = 1, b relu(-1 + 0.5) = 0
  //   2 * norm([1, 0], 2) / 2 = 1
  EXPECT_NEAR(value->terms.at("psnr"), 1.0, k_eps);
  // mse (identity, sum): 0.5 * (0.2 + 0.4 + 0.3) / 3 = 0.15
  EXPECT_NEAR(value->terms.at("mse"), 0.15, k_eps);
  EXPECT_NEAR(value->value, 1.15, k_eps);
  EXPECT_EQ(value->notes.size(), 3U) << testing::PrintToString(value->notes);
}

TEST(ObjectiveTest, PerRunTargetsComeFromTheReferenceRuns) {
  const ObjectiveSpec spec = objective("psnr: {loss: relative}\ntarget: {branch: main}\n");
  ASSERT_TRUE(spec.target);
  EXPECT_EQ(spec.target->kind, TargetRef::Kind::branch);
  EXPECT_EQ(spec.target->revision, "main");
  EXPECT_EQ(spec.target->label, "default");
  std::vector<RunOutcome> runs = {run("a", {{"psnr", 29}}), run("b", {{"psnr", 33}})};
  runs[0].targets = {{"psnr", 30}};
  runs[1].targets = {{"psnr", 32}};
  const auto value = evaluate_objective(spec, metric_defs(), runs);
  ASSERT_TRUE(value) << value.error().message;
  // ((29 - 30) / 30 * -1 + (33 - 32) / 32 * -1) / 2 = (1/30 - 1/32) / 2 = 1/960
  EXPECT_NEAR(value->value, 1.0 / 960, k_eps);

  runs[1].targets = json::object();
  const auto missing = evaluate_objective(spec, metric_defs(), runs);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::no_reference);
  EXPECT_NE(missing.error().message.find("\"b\""), std::string::npos) << missing.error().message;
}

TEST(ObjectiveTest, RunsThatGiveNoLossAreLeftOutAndNoLossAtAllFails) {
  // A bool is 0 or 1 (Python arithmetic); a relative loss with a target of 0 is left out
  // (QA-Board's ZeroDivisionError, caught per output).
  MetricDefs defs = metric_defs();
  MetricDef flag;
  flag.name = "flag";
  flag.target = 0;
  flag.declared = true;
  defs.add(flag);
  const auto value =
      evaluate_objective(objective("flag: {}\n"), defs,
                         {run("a", {{"flag", true}}), run("b", {{"flag", false}})});
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_NEAR(value->value, 0.5, k_eps);  // (1 + 0) / 2

  const auto zero = evaluate_objective(objective("flag: {loss: relative}\n"), defs,
                                       {run("a", {{"flag", 2}})});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().kind, ErrorKind::check_failed);

  const auto all_failed = evaluate_objective(objective("mse: {}\n"), defs,
                                             {run("a", {{"mse", 1}}, true)});
  ASSERT_FALSE(all_failed);
  EXPECT_NE(all_failed.error().message.find("\"mse\""), std::string::npos);
}

TEST(ObjectiveTest, RecordsAreOutcomesFailedUnlessOkOrCached) {
  RunRecord record;
  record.key = "default/base/a";
  record.metrics = {{"psnr", 31.5}};
  record.status = RunStatus::cached;
  const RunOutcome cached = run_outcome(record);
  EXPECT_EQ(cached.key, "default/base/a");
  EXPECT_EQ(cached.metrics, record.metrics);
  EXPECT_FALSE(cached.failed);
  record.status = RunStatus::ok;
  EXPECT_FALSE(run_outcome(record).failed);
  record.status = RunStatus::timeout;
  EXPECT_TRUE(run_outcome(record).failed);
  record.status = RunStatus::failed;
  EXPECT_TRUE(run_outcome(record).failed);
}

TEST(ObjectiveTest, ReadsTargetsAsQaBoardDoes) {
  EXPECT_FALSE(objective("psnr:\ntarget:\n").target);
  EXPECT_FALSE(objective("psnr:\ntarget: {batch: nightly}\n").target);  // no revision
  const auto by_id = objective("psnr:\ntarget: {id: 1234abc, branch: main, batch: nightly}\n");
  ASSERT_TRUE(by_id.target);
  EXPECT_EQ(by_id.target->kind, TargetRef::Kind::commit);  // id wins
  EXPECT_EQ(by_id.target->revision, "1234abc");
  EXPECT_EQ(by_id.target->label, "nightly");
  const auto by_tag = objective("psnr:\ntarget: {tag: v1.2}\n");
  ASSERT_TRUE(by_tag.target);
  EXPECT_EQ(by_tag.target->kind, TargetRef::Kind::tag);
}

TEST(ObjectiveTest, DefaultsAreQaBoards) {
  const auto spec = objective("psnr:\nmse: {}\n");
  ASSERT_EQ(spec.terms.size(), 2U);
  for (const auto& term : spec.terms) {
    EXPECT_EQ(term.weight, 1);
    EXPECT_EQ(term.loss.base, LossBase::identity);
    EXPECT_FALSE(term.loss.relu || term.loss.square);
    EXPECT_EQ(term.reduce.kind, ReduceKind::sum);
    EXPECT_EQ(term.margin, 0);
  }
  EXPECT_EQ(spec.terms[0].metric, "psnr");  // the file's order
  EXPECT_EQ(spec.terms[1].line, 2);
}

std::string error_of(const std::string& yaml) {
  const auto spec = read_objective(YAML::Load(yaml), "opt.yaml");
  EXPECT_FALSE(spec);
  return spec ? std::string() : spec.error().message;
}

TEST(ObjectiveTest, ErrorsNameTheLineAndSuggest) {
  const std::string option = error_of("psnr:\n  wieght: 2\n");
  EXPECT_NE(option.find("line 2"), std::string::npos) << option;
  EXPECT_NE(option.find("did you mean \"weight\""), std::string::npos) << option;

  const std::string loss = error_of("psnr: {loss: relu_shfit}\n");
  EXPECT_NE(loss.find("did you mean \"relu_shift\""), std::string::npos) << loss;
  EXPECT_NE(error_of("psnr: {loss: relu_relu_shift}\n").find("unknown loss"), std::string::npos);

  const std::string reduce = error_of("psnr: {reduce: suum}\n");
  EXPECT_NE(reduce.find("did you mean \"sum\""), std::string::npos) << reduce;
  EXPECT_NE(error_of("psnr: {reduce: l22}\n").find("unknown reduce"), std::string::npos);

  const std::string weight = error_of("psnr: {weight: heavy}\n");
  EXPECT_NE(weight.find("\"objective.psnr.weight\" must be a finite number"), std::string::npos)
      << weight;

  const std::string target = error_of("psnr:\ntarget: {brnach: main}\n");
  EXPECT_NE(target.find("did you mean \"branch\""), std::string::npos) << target;
  EXPECT_NE(error_of("target: {branch: main}\n").find("names no metric"), std::string::npos);
  EXPECT_NE(error_of("[psnr]\n").find("must be a map"), std::string::npos);
}

TEST(ObjectiveTest, NoticesSayWhenTheSquareIsDropped) {
  std::vector<YamlNotice> notices;
  ASSERT_TRUE(read_objective(YAML::Load("psnr: {loss: square_relu_shift}\n"), "opt.yaml",
                             &notices));
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_NE(notices[0].message.find("without its square"), std::string::npos)
      << notices[0].message;
}

TEST(ObjectiveTest, MetricsAreCheckedAgainstTheMetricsFile) {
  const MetricDefs defs = metric_defs();
  EXPECT_TRUE(check_objective_metrics(objective("psnr: {loss: shift}\ncompute_time:\n"), defs,
                                      "opt.yaml"));
  const auto typo = check_objective_metrics(objective("psnrr:\n"), defs, "opt.yaml");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("did you mean \"psnr\""), std::string::npos)
      << typo.error().message;
  EXPECT_NE(typo.error().message.find("line 1"), std::string::npos) << typo.error().message;
  // mse has no target in the metrics file: a shift loss needs objective.target
  const auto no_target = check_objective_metrics(objective("mse: {loss: shift}\n"), defs, "o.yaml");
  ASSERT_FALSE(no_target);
  EXPECT_NE(no_target.error().message.find("needs a target"), std::string::npos);
  EXPECT_TRUE(check_objective_metrics(
      objective("mse: {loss: shift}\ntarget: {branch: main}\n"), defs, "o.yaml"));
}

}  // namespace
}  // namespace qa::core
