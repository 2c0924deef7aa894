#include <qa/core/tuning.hpp>

#include <gtest/gtest.h>

#include <set>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

using nlohmann::json;

TEST(TuningPoints, GridIsTheCartesianProduct) {
  const auto points = tuning_points(json::parse(
      R"({"parameter_search": {"b": [1, 2], "a": [0.1, 0.2, 0.3]}, "search_type": "grid"})"));
  ASSERT_TRUE(points) << points.error().message;
  ASSERT_EQ(points->size(), 6U);
  EXPECT_EQ((*points)[0], json::parse(R"({"a": 0.1, "b": 1})"));
  EXPECT_EQ((*points)[1], json::parse(R"({"a": 0.1, "b": 2})"));
  EXPECT_EQ((*points)[5], json::parse(R"({"a": 0.3, "b": 2})"));
}

TEST(TuningPoints, ListOfGridsIsTheirUnionAndGridIsTheDefault) {
  const auto points =
      tuning_points(json::parse(R"({"parameter_search": [{"a": [1, 2]}, {"b": 3, "c": ["x"]}]})"));
  ASSERT_TRUE(points);
  EXPECT_EQ(*points, (std::vector<json>{json::parse(R"({"a": 1})"), json::parse(R"({"a": 2})"),
                                        json::parse(R"({"b": 3, "c": "x"})")}));
}

TEST(TuningPoints, SamplerIsReproducibleWithItsSeed) {
  const json search = json::parse(R"({"parameter_search": {"a": [1, 2, 3, 4, 5, 6, 7, 8],
      "b": ["x", "y", "z"], "fixed": 9}, "search_type": "sampler",
      "search_options": {"n_iter": 20, "seed": 42}})");
  const auto first = tuning_points(search);
  const auto second = tuning_points(search);
  ASSERT_TRUE(first && second);
  ASSERT_EQ(first->size(), 20U);
  EXPECT_EQ(*first, *second);
  std::set<int> seen;
  for (const auto& point : *first) {
    EXPECT_EQ(point["fixed"], 9);
    EXPECT_TRUE(point["b"] == "x" || point["b"] == "y" || point["b"] == "z");
    seen.insert(point["a"].get<int>());
  }
  EXPECT_GT(seen.size(), 3U) << "20 draws over 8 values should not repeat a few";
  json other_seed = search;
  other_seed["search_options"]["seed"] = 7;
  EXPECT_NE(*tuning_points(other_seed), *first);
}

TEST(TuningPoints, MalformedSearchesAreErrors) {
  EXPECT_FALSE(tuning_points(json::parse(R"({"search_type": "grid"})")));
  EXPECT_FALSE(tuning_points(json::parse(R"({"parameter_search": 3})")));
  EXPECT_FALSE(tuning_points(json::parse(R"({"parameter_search": []})")));
  EXPECT_FALSE(
      tuning_points(json::parse(R"({"parameter_search": {"a": [1]}, "search_type": "random"})")));
  EXPECT_FALSE(tuning_points(json::parse(
      R"({"parameter_search": {"a": [1]}, "search_type": "sampler", "search_options": {"n_iter": 0}})")));
  EXPECT_FALSE(
      tuning_points(json::parse(R"({"parameter_search": {"a": []}, "search_type": "sampler"})")));
  const auto huge = tuning_points(json::parse(
      R"({"parameter_search": {"a": [1]}, "search_type": "sampler", "search_options": {"n_iter": 9223372036854775807}})"));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().message,
            "invalid tuning search: \"n_iter\" 9223372036854775807 is more than 1000000: the plan "
            "is too large");
}

TEST(ReadTuningArgument, JsonTextOrFile) {
  EXPECT_EQ(*read_tuning_argument(R"({"parameter_search": {"a": [1]}})"),
            json::parse(R"({"parameter_search": {"a": [1]}})"));
  test::TempDir tmp;
  test::write_text(tmp / "search.json", R"({"parameter_search": {"b": [2]}})");
  EXPECT_EQ((*read_tuning_argument("@" + (tmp / "search.json").string()))["parameter_search"]["b"],
            json::parse("[2]"));
  const auto malformed = read_tuning_argument("{\"parameter_search\": ");
  ASSERT_FALSE(malformed);
  EXPECT_NE(malformed.error().message.find("invalid tuning search"), std::string::npos);
  // A number too large for a double is an error, not an exception (found by fuzz_tuning).
  const auto overflow = read_tuning_argument(R"({"parameter_search": {"a": [77e777]}})");
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.error().message.find("invalid tuning search"), std::string::npos);
  const auto missing = read_tuning_argument("@" + (tmp / "nope.json").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
}

}  // namespace
}  // namespace qa::core
