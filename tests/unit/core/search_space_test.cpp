#include <qa/core/search_space.hpp>

#include <cmath>

#include <gtest/gtest.h>

namespace qa::core {
namespace {

using nlohmann::json;

Expected<SearchSpace> read(const std::string& yaml, std::vector<YamlNotice>* notices = nullptr) {
  return read_search_space(YAML::Load(yaml), "opt.yaml", notices);
}

std::string error_of(const std::string& yaml) {
  const auto space = read(yaml);
  EXPECT_FALSE(space) << yaml;
  return space ? std::string() : space.error().message;
}

// The search space of QA-Board's optimization template (webapp/src/components/tuning).
constexpr const char* k_qaboard_space = R"(
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

TEST(SearchSpaceTest, ReadsScikitOptimizesYamlForm) {
  const auto space = read(k_qaboard_space);
  ASSERT_TRUE(space) << space.error().message;
  ASSERT_EQ(space->dimensions.size(), 4U);
  const auto& events = space->dimensions[0];
  EXPECT_EQ(events.name, "max_events");
  EXPECT_EQ(events.kind, DimensionKind::integer);
  EXPECT_EQ(events.low, 1000);
  EXPECT_EQ(events.high, 10000);
  EXPECT_EQ(events.line, 2);
  const auto& solver = space->dimensions[1];
  EXPECT_EQ(solver.kind, DimensionKind::categorical);
  EXPECT_EQ(solver.categories, json::array({"ceres", "g2o"}));
  EXPECT_EQ(space->dimensions[2].prior, Prior::uniform);
  const auto& rate = space->dimensions[3];
  EXPECT_EQ(rate.kind, DimensionKind::real);
  EXPECT_EQ(rate.prior, Prior::log_uniform);
  EXPECT_DOUBLE_EQ(rate.low, 1e-7);
}

TEST(SearchSpaceTest, KindsAndKeysAreCaseInsensitiveAsInScikitOptimize) {
  const auto space = read(
      "- real: {NAME: gain, Low: 1, HIGH: 2}\n- CATEGORICAL: {name: m, "
      "Categories: [1, 2.5, yes, {a: 1}]}\n");
  ASSERT_TRUE(space) << space.error().message;
  EXPECT_EQ(space->dimensions[0].name, "gain");
  EXPECT_EQ(space->dimensions[1].categories, json::parse(R"([1, 2.5, "yes", {"a": 1}])"));
}

TEST(SearchSpaceTest, ScikitOptimizesModelKeysAreIgnoredWithANotice) {
  std::vector<YamlNotice> notices;
  const auto space = read(
      "- Real: {name: a, low: 1, high: 10, prior: log-uniform, base: 2, transform: normalize}\n"
      "- Categorical: {name: b, categories: [x, y], prior: [0.9, 0.1]}\n",
      &notices);
  ASSERT_TRUE(space) << space.error().message;
  ASSERT_EQ(notices.size(), 3U);
  EXPECT_NE(notices[0].message.find("line 1"), std::string::npos) << notices[0].message;
  EXPECT_NE(notices[0].message.find("is ignored"), std::string::npos) << notices[0].message;
}

TEST(SearchSpaceTest, ErrorsNameTheLineAndTheValue) {
  const std::string kind = error_of("- Reel: {name: a, low: 0, high: 1}\n");
  EXPECT_NE(kind.find("unknown dimension kind \"Reel\""), std::string::npos) << kind;
  EXPECT_NE(kind.find("did you mean \"real\""), std::string::npos) << kind;
  const std::string key = error_of("- Real:\n    name: a\n    low: 0\n    hihg: 1\n");
  EXPECT_NE(key.find("line 4"), std::string::npos) << key;
  EXPECT_NE(key.find("did you mean \"high\""), std::string::npos) << key;
  EXPECT_NE(error_of("- Real: {name: a, low: 1, high: 1}\n").find("must be below"),
            std::string::npos);
  EXPECT_NE(
      error_of("- Real: {name: a, low: 0, high: 1, prior: log-uniform}\n").find("positive \"low\""),
      std::string::npos);
  EXPECT_NE(error_of("- Real: {name: a, low: 1, high: 2, prior: loguniform}\n")
                .find("did you mean \"log-uniform\""),
            std::string::npos);
  EXPECT_NE(error_of("- Integer: {name: a, low: 0.5, high: 3}\n").find("whole numbers"),
            std::string::npos);
  EXPECT_NE(error_of("- Real: {name: a, low: zero, high: 3}\n").find("finite number"),
            std::string::npos);
  EXPECT_NE(error_of("- Real: {low: 0, high: 3}\n").find("needs a \"name\""), std::string::npos);
  EXPECT_NE(error_of("- Real: {name: a, high: 3}\n").find("both \"low\" and \"high\""),
            std::string::npos);
  EXPECT_NE(error_of("- Real: {name: a, low: 0, high: 1}\n- Integer: {name: a, low: 0, high: 1}\n")
                .find("used by an earlier dimension"),
            std::string::npos);
  EXPECT_NE(error_of("- Categorical: {name: a, categories: []}\n").find("non-empty list"),
            std::string::npos);
  EXPECT_NE(error_of("- Categorical: {name: a, categories: [x, x]}\n").find("listed twice"),
            std::string::npos);
  EXPECT_NE(error_of("{Real: {name: a}}\n").find("non-empty list"), std::string::npos);
  EXPECT_NE(
      error_of("- Real: {name: a, low: 0, high: 1}\n  Integer: {name: b}\n").find("one-key map"),
      std::string::npos);
}

TEST(SearchSpaceTest, SolverBoundsMapEachKindOntoCoordinates) {
  const auto space = read(k_qaboard_space);
  ASSERT_TRUE(space);
  const auto events = solver_bounds(space->dimensions[0]);
  EXPECT_EQ(events.lower, 1000);
  EXPECT_EQ(events.upper, 10000);
  EXPECT_TRUE(events.is_integer);
  const auto solver = solver_bounds(space->dimensions[1]);
  EXPECT_EQ(solver.lower, 0);
  EXPECT_EQ(solver.upper, 1);
  EXPECT_TRUE(solver.is_integer);
  const auto rate = solver_bounds(space->dimensions[3]);
  EXPECT_DOUBLE_EQ(rate.lower, std::log(1e-7));
  EXPECT_DOUBLE_EQ(rate.upper, std::log(0.1));
  EXPECT_FALSE(rate.is_integer);
}

TEST(SearchSpaceTest, ValuesAndCoordinatesRoundTrip) {
  const auto space = read(std::string(k_qaboard_space) +
                          "- Integer: {name: taps, low: 1, high: 1000, prior: log-uniform}\n"
                          "- Categorical: {name: only, categories: [one]}\n");
  ASSERT_TRUE(space) << space.error().message;
  const auto& dims = space->dimensions;
  EXPECT_EQ(value_at(dims[0], 1234.4), 1234);
  EXPECT_TRUE(value_at(dims[0], 1234.4).is_number_integer());
  EXPECT_EQ(value_at(dims[0], 99999), 10000);  // clamped
  EXPECT_EQ(value_at(dims[1], 0.6), "g2o");
  EXPECT_EQ(value_at(dims[1], -3), "ceres");
  EXPECT_DOUBLE_EQ(value_at(dims[3], std::log(1e-3)).get<double>(), 1e-3);
  // Real values keep 6 significant digits, and stay inside the bounds.
  EXPECT_EQ(value_at(dims[3], std::log(0.0123456789)).get<double>(), 0.0123457);
  EXPECT_EQ(value_at(dims[3], std::log(0.1)).get<double>(), 0.1);
  EXPECT_EQ(value_at(dims[3], std::log(1e-7)).get<double>(), 1e-7);
  EXPECT_EQ(value_at(dims[4], std::log(50.0)), 50);
  EXPECT_TRUE(value_at(dims[4], std::log(50.0)).is_number_integer());
  EXPECT_EQ(value_at(dims[5], 0), "one");
  EXPECT_TRUE(is_fixed(dims[5]));
  EXPECT_FALSE(is_fixed(dims[1]));

  EXPECT_EQ(*coordinate_of(dims[1], "g2o"), 1);
  EXPECT_DOUBLE_EQ(*coordinate_of(dims[4], 50), std::log(50.0));
  EXPECT_EQ(value_at(dims[4], *coordinate_of(dims[4], 50)), 50);
  EXPECT_FALSE(coordinate_of(dims[1], "gtsam"));
  EXPECT_FALSE(coordinate_of(dims[0], 10001));
  EXPECT_FALSE(coordinate_of(dims[0], 1000.5));
  EXPECT_FALSE(coordinate_of(dims[2], "high"));
}

TEST(SearchSpaceTest, ParamsAreThePresetWithThePointsValues) {
  const auto space = read(
      "- Real: {name: strength, low: 0, high: 1}\n"
      "- Integer: {name: radius, low: 1, high: 5}\n");
  ASSERT_TRUE(space);
  const json preset = {{"strength", 0.9}, {"mode", "fast"}};
  const json params = params_at(*space, {0.25, 3}, preset);
  EXPECT_EQ(params, json::parse(R"({"strength": 0.25, "radius": 3, "mode": "fast"})"));
}

}  // namespace
}  // namespace qa::core
