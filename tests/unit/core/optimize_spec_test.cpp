#include <qa/core/optimize_spec.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

using nlohmann::json;

struct Loaded {
  Expected<OptimizeSpec> spec;
  std::vector<std::string> notices;
};

Loaded load(const std::string& yaml) {
  test::TempDir tmp;
  test::write_text(tmp / "optimize.yaml", yaml);
  Loaded loaded{tl::unexpected(Error{}), {}};
  loaded.spec = load_optimize_spec(tmp / "optimize.yaml", &loaded.notices);
  return loaded;
}

std::string error_of(const std::string& yaml) {
  const auto loaded = load(yaml);
  EXPECT_FALSE(loaded.spec) << yaml;
  return loaded.spec ? std::string() : loaded.spec.error().message;
}

// The shape of the file QA-Board's web UI proposes for `qa optimize` (its "optimize" tuning
// template), with the metric filled in and its commented-out solver settings enabled.
constexpr const char* k_qaboard_file = R"(# We will call the objective function that many times
evaluations: 50
parallel_sampling: 1

solver:
  base_estimator: GP
  n_initial_points: 10
  acq_funcstring: gp_hedge

objective:
  psnr:
    weight: 1
    reduce: sum
    loss: identity

  target:
    branch: main
    batch: default

preset_params:
  key: value

search_space:
  - Integer:
      name: max_events
      low: 1000
      high: 10000

  - Categorical:
      name: solver
      categories:
        - ceres
        - g2o

  - Real:
      name: threshold
      low: 0.0
      high: 1.0

  - Real:
      name: learning_rate
      low: 0.0000001
      high: 0.1
      prior: log-uniform
)";

TEST(OptimizeSpecTest, LoadsQaBoardsOptimizationFileUnchanged) {
  const auto loaded = load(k_qaboard_file);
  ASSERT_TRUE(loaded.spec) << loaded.spec.error().message;
  const OptimizeSpec& spec = *loaded.spec;
  EXPECT_EQ(spec.evaluations, 50U);
  EXPECT_EQ(spec.parallel_sampling, 1U);
  ASSERT_EQ(spec.objective.terms.size(), 1U);
  EXPECT_EQ(spec.objective.terms[0].metric, "psnr");
  ASSERT_TRUE(spec.objective.target);
  EXPECT_EQ(spec.objective.target->revision, "main");
  EXPECT_EQ(spec.search_space.dimensions.size(), 4U);
  EXPECT_EQ(spec.preset_params, json::parse(R"({"key": "value"})"));
  EXPECT_EQ(spec.solver.initial_points, 10U);
  EXPECT_FALSE(spec.solver.seed);
  // scikit-optimize's model settings: one notice each, naming the line
  ASSERT_EQ(loaded.notices.size(), 2U) << testing::PrintToString(loaded.notices);
  EXPECT_NE(loaded.notices[0].find("line 6: \"solver.base_estimator\" is ignored"),
            std::string::npos)
      << loaded.notices[0];
  EXPECT_NE(loaded.notices[1].find("line 8: \"solver.acq_funcstring\" is ignored"),
            std::string::npos)
      << loaded.notices[1];
}

TEST(OptimizeSpecTest, DefaultsAreQaBoards) {
  const auto loaded =
      load("evaluations: 3\nobjective: {psnr: }\nsearch_space: [{Real: {name: a, low: 0, high: "
           "1}}]\n");
  ASSERT_TRUE(loaded.spec) << loaded.spec.error().message;
  EXPECT_EQ(loaded.spec->parallel_sampling, 1U);
  EXPECT_EQ(loaded.spec->preset_params, json::object());
  EXPECT_FALSE(loaded.spec->solver.seed);
  EXPECT_FALSE(loaded.spec->solver.initial_points);
  EXPECT_TRUE(loaded.notices.empty());
}

TEST(OptimizeSpecTest, TheSeedIsRandomStateOrSeed) {
  const std::string rest = "objective: {psnr: }\nsearch_space: [{Real: {name: a, low: 0, high: "
                           "1}}]\nevaluations: 3\n";
  const auto skopt = load("solver: {name: scikit-optimize, random_state: 7}\n" + rest);
  ASSERT_TRUE(skopt.spec) << skopt.spec.error().message;
  EXPECT_EQ(skopt.spec->solver.seed, 7);
  EXPECT_EQ(skopt.notices.size(), 1U);  // name
  const auto both = load("solver: {seed: 3, random_state: 7}\n" + rest);
  ASSERT_TRUE(both.spec) << both.spec.error().message;
  EXPECT_EQ(both.spec->solver.seed, 3);
}

TEST(OptimizeSpecTest, ErrorsNameTheFileLineAndValue) {
  const std::string space = "search_space: [{Real: {name: a, low: 0, high: 1}}]\n";
  const std::string unknown =
      error_of("evaluation: 5\nobjective: {psnr: }\n" + space);
  EXPECT_NE(unknown.find("optimize.yaml\": line 1: unknown key \"evaluation\" (did you mean "
                         "\"evaluations\"?)"),
            std::string::npos)
      << unknown;
  EXPECT_NE(error_of("evaluations: 5\n" + space).find("must give an \"objective\""),
            std::string::npos);
  EXPECT_NE(error_of("objective: {psnr: }\n" + space).find("\"evaluations\" budget"),
            std::string::npos);
  EXPECT_NE(error_of("evaluations: 5\nobjective: {psnr: }\n").find("\"search_space\""),
            std::string::npos);
  const std::string zero = error_of("evaluations: 0\nobjective: {psnr: }\n" + space);
  EXPECT_NE(zero.find("line 1: \"evaluations\" must be a whole number from 1 to 10000, not \"0\""),
            std::string::npos)
      << zero;
  EXPECT_NE(error_of("evaluations: 5\nparallel_sampling: two\nobjective: {psnr: }\n" + space)
                .find("\"parallel_sampling\" must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("evaluations: 5\npreset_params: [a]\nobjective: {psnr: }\n" + space)
                .find("\"preset_params\" must be a map"),
            std::string::npos);
  const std::string solver =
      error_of("evaluations: 5\nsolver: {n_initial_point: 3}\nobjective: {psnr: }\n" + space);
  EXPECT_NE(solver.find("did you mean \"n_initial_points\""), std::string::npos) << solver;
  EXPECT_NE(error_of("evaluations: 5\nsolver: {random_state: x}\nobjective: {psnr: }\n" + space)
                .find("\"solver.random_state\" must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("- a\n- b\n").find("must be a map"), std::string::npos);
}

}  // namespace
}  // namespace qa::core
