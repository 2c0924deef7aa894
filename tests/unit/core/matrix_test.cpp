#include <qa/core/matrix.hpp>

#include <gtest/gtest.h>

namespace qa::core {
namespace {

using nlohmann::json;

TEST(ExpandMatrix, NoMatrixIsOneEmptyCombination) {
  const auto combinations = expand_matrix(json());
  ASSERT_TRUE(combinations);
  ASSERT_EQ(combinations->size(), 1U);
  EXPECT_TRUE((*combinations)[0].variables.empty());
  EXPECT_TRUE((*combinations)[0].configs.empty());
}

TEST(ExpandMatrix, APlanTooLargeIsRefusedBeforeItIsExpanded) {
  json matrix = json::object();
  for (const char* key : {"a", "b", "c", "d", "e", "f", "g", "h", "i"}) {
    matrix[key] = json::array({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  }
  const auto combinations = expand_matrix(matrix);
  ASSERT_FALSE(combinations);
  EXPECT_EQ(combinations.error().message,
            "the matrix gives 1000000000 combinations, more than 1000000: the plan is too large");
}

TEST(ExpandMatrix, SortedKeysLastVaryingFastest) {
  const auto combinations = expand_matrix(json::parse(R"({"b": [1, 2], "a": ["x", "y"]})"));
  ASSERT_TRUE(combinations);
  std::vector<json> seen;
  for (const auto& combination : *combinations) {
    seen.push_back(combination.variables);
  }
  EXPECT_EQ(seen, (std::vector<json>{json::parse(R"({"a": "x", "b": 1})"),
                                     json::parse(R"({"a": "x", "b": 2})"),
                                     json::parse(R"({"a": "y", "b": 1})"),
                                     json::parse(R"({"a": "y", "b": 2})")}));
}

TEST(ExpandMatrix, ConfigurationsDimensionGivesConfigLists) {
  const auto combinations =
      expand_matrix(json::parse(R"({"configurations": [["fast"], ["slow", {"x": 1}]], "z": 3})"));
  ASSERT_TRUE(combinations);
  ASSERT_EQ(combinations->size(), 2U);
  EXPECT_EQ((*combinations)[0].configs, json::parse(R"(["fast"])"));
  EXPECT_EQ((*combinations)[1].configs, json::parse(R"(["slow", {"x": 1}])"));
  EXPECT_EQ((*combinations)[1].variables, json::parse(R"({"z": 3})"));
}

TEST(ExpandMatrix, ErrorsNameTheProblem) {
  EXPECT_FALSE(expand_matrix(json::parse("[1, 2]")));
  const auto empty = expand_matrix(json::parse(R"({"k": []})"));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("\"k\""), std::string::npos);
}

TEST(SubstituteMatrix, WholePlaceholderKeepsTheType) {
  const json variables = json::parse(R"({"s": 0.5, "n": 6, "b": true, "l": [1, 2]})");
  EXPECT_EQ(*substitute_matrix("${matrix.s}", variables), json(0.5));
  EXPECT_EQ(*substitute_matrix("${matrix.n}", variables), json(6));
  EXPECT_EQ(*substitute_matrix("${matrix.b}", variables), json(true));
  EXPECT_EQ(*substitute_matrix("${matrix.l}", variables), json::parse("[1, 2]"));
}

TEST(SubstituteMatrix, InsideTextTheValueIsWritten) {
  const json variables = json::parse(R"({"s": 0.5, "name": "hdr"})");
  EXPECT_EQ(*substitute_matrix("model-${matrix.name}-${matrix.s}.onnx", variables),
            json("model-hdr-0.5.onnx"));
}

TEST(SubstituteMatrix, IndexesIntoListsAndMaps) {
  const json variables = json::parse(R"({"size": [640, 480], "cam": {"iso": 100, "n": {"d": 2}}})");
  EXPECT_EQ(*substitute_matrix("${matrix.size[1]}", variables), json(480));
  EXPECT_EQ(*substitute_matrix("${matrix.cam[iso]}", variables), json(100));
  EXPECT_EQ(*substitute_matrix("${matrix.cam.iso}", variables), json(100));
  EXPECT_EQ(*substitute_matrix("${matrix.cam.n.d}", variables), json(2));
}

TEST(SubstituteMatrix, WalksListsAndMapsAndLeavesOtherTextAlone) {
  const json variables = json::parse(R"({"s": 2})");
  const auto out = substitute_matrix(
      json::parse(R"(["base", {"strength": "${matrix.s}", "path": "${HOME}/x"}, 3])"), variables);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, json::parse(R"(["base", {"strength": 2, "path": "${HOME}/x"}, 3])"));
}

TEST(SubstituteMatrix, UndefinedReferencesAreNamed) {
  const json variables = json::parse(R"({"size": [640, 480], "cam": {"iso": 100}})");
  const auto missing = substitute_matrix("${matrix.sise}", variables);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("\"sise\""), std::string::npos);
  EXPECT_FALSE(substitute_matrix("${matrix.size[2]}", variables));
  EXPECT_FALSE(substitute_matrix("${matrix.size[x]}", variables));
  EXPECT_FALSE(substitute_matrix("${matrix.cam.gain}", variables));
  EXPECT_FALSE(substitute_matrix("a ${matrix.size", variables));
}

}  // namespace
}  // namespace qa::core
