#include <qa/core/params.hpp>

#include <gtest/gtest.h>

#include <string>

namespace qa::core {
namespace {

using nlohmann::json;

TEST(DeepMergeTest, MergesNestedObjectsKeyByKey) {
  json base = json::parse(R"({"a": {"x": 1, "y": {"p": 1, "q": 2}}, "b": 1})");
  deep_merge(base, json::parse(R"({"a": {"y": {"q": 3, "r": 4}, "z": 5}, "c": 2})"));
  EXPECT_EQ(base, json::parse(R"({"a": {"x": 1, "y": {"p": 1, "q": 3, "r": 4}, "z": 5},
                                  "b": 1, "c": 2})"));
}

TEST(DeepMergeTest, ReplacesLists) {
  json base = json::parse(R"({"list": [1, 2, 3], "keep": [9]})");
  deep_merge(base, json::parse(R"({"list": [4]})"));
  EXPECT_EQ(base, json::parse(R"({"list": [4], "keep": [9]})"));
}

TEST(DeepMergeTest, ReplacesScalarsAndTypes) {
  json base = json::parse(R"({"n": 1, "s": "a", "o": {"x": 1}, "v": 2, "w": 1})");
  deep_merge(base, json::parse(R"({"n": 0.5, "s": 7, "o": "flat", "v": {"deep": true},
                                   "w": null})"));
  EXPECT_EQ(base, json::parse(R"({"n": 0.5, "s": 7, "o": "flat", "v": {"deep": true},
                                  "w": null})"));
}

TEST(DeepMergeTest, ANonObjectPatchReplacesTheWholeBase) {
  json base = json::parse(R"({"a": 1})");
  deep_merge(base, json(5));
  EXPECT_EQ(base, json(5));
  json scalar = 3;
  deep_merge(scalar, json::parse(R"({"a": 1})"));
  EXPECT_EQ(scalar, json::parse(R"({"a": 1})"));
}

TEST(DeepMergeTest, AnEmptyPatchChangesNothing) {
  json base = json::parse(R"({"a": {"b": 1}})");
  deep_merge(base, json::object());
  EXPECT_EQ(base, json::parse(R"({"a": {"b": 1}})"));
}

TEST(DeepMergeTest, DoesNotChangeThePatch) {
  json base = json::parse(R"({"a": {"b": 1}})");
  const json patch = json::parse(R"({"a": {"c": 2}})");
  deep_merge(base, patch);
  base["a"]["c"] = 3;
  EXPECT_EQ(patch, json::parse(R"({"a": {"c": 2}})"));
}

TEST(MergeParamsTest, DefaultsThenConfigMapsInOrderThenOverrides) {
  const json defaults = json::parse(R"({"strength": 0.1, "level": 1, "mode": "fast",
                                        "nested": {"a": 1, "b": 1}})");
  const json configs = json::parse(R"(["base", {"strength": 0.5, "nested": {"a": 2}},
                                       "other", {"strength": 0.7, "level": 3}])");
  const json overrides = json::parse(R"({"level": 6, "nested": {"b": 9}})");
  EXPECT_EQ(merge_params(defaults, configs, overrides),
            json::parse(R"({"strength": 0.7, "level": 6, "mode": "fast",
                            "nested": {"a": 2, "b": 9}})"));
}

TEST(MergeParamsTest, ConfigNamesAreIgnored) {
  EXPECT_EQ(
      merge_params(json::object(), json::parse(R"(["base", "fast", 3, null])"), json::object()),
      json::object());
}

TEST(MergeParamsTest, EmptyOrMissingPartsGiveAnObject) {
  EXPECT_EQ(merge_params(json::object(), json::array(), json::object()), json::object());
  EXPECT_EQ(merge_params(json(nullptr), json(nullptr), json(nullptr)), json::object());
  EXPECT_EQ(merge_params(json(nullptr), json::parse(R"([{"a": 1}])"), json(nullptr)),
            json::parse(R"({"a": 1})"));
}

TEST(MergeParamsTest, LaterListsReplaceEarlierOnes) {
  EXPECT_EQ(merge_params(json::parse(R"({"sizes": [1, 2]})"), json::parse(R"([{"sizes": [3]}])"),
                         json::object()),
            json::parse(R"({"sizes": [3]})"));
}

TEST(MergeParamsTest, DoesNotChangeItsArguments) {
  const json defaults = json::parse(R"({"a": {"b": 1}})");
  const json configs = json::parse(R"([{"a": {"c": 2}}])");
  const json overrides = json::parse(R"({"a": {"d": 3}})");
  EXPECT_EQ(merge_params(defaults, configs, overrides),
            json::parse(R"({"a": {"b": 1, "c": 2, "d": 3}})"));
  EXPECT_EQ(defaults, json::parse(R"({"a": {"b": 1}})"));
  EXPECT_EQ(configs, json::parse(R"([{"a": {"c": 2}}])"));
}

TEST(ApplyParamAssignmentTest, ANumberValueIsANumber) {
  json params = json::object();
  ASSERT_TRUE(apply_param_assignment(params, "level=6"));
  EXPECT_TRUE(params["level"].is_number_integer());
  EXPECT_EQ(params["level"], 6);
  ASSERT_TRUE(apply_param_assignment(params, "strength=0.5"));
  EXPECT_TRUE(params["strength"].is_number_float());
  ASSERT_TRUE(apply_param_assignment(params, "on=true"));
  EXPECT_EQ(params["on"], true);
}

TEST(ApplyParamAssignmentTest, TextIsAString) {
  json params = json::object();
  ASSERT_TRUE(apply_param_assignment(params, "name=abc"));
  EXPECT_EQ(params["name"], "abc");
  ASSERT_TRUE(apply_param_assignment(params, "version=1.2.3"));
  EXPECT_EQ(params["version"], "1.2.3");
  ASSERT_TRUE(apply_param_assignment(params, "expr=a=b"));
  EXPECT_EQ(params["expr"], "a=b");
  ASSERT_TRUE(apply_param_assignment(params, "spaced=a b"));
  EXPECT_EQ(params["spaced"], "a b");
}

TEST(ApplyParamAssignmentTest, ADottedKeySetsANestedValue) {
  json params = json::parse(R"({"a": {"c": 2}, "s": 5})");
  ASSERT_TRUE(apply_param_assignment(params, "a.b=1"));
  ASSERT_TRUE(apply_param_assignment(params, "x.y.z=deep"));
  ASSERT_TRUE(apply_param_assignment(params, "s.t=1"));
  EXPECT_EQ(params, json::parse(R"({"a": {"b": 1, "c": 2}, "x": {"y": {"z": "deep"}},
                                    "s": {"t": 1}})"));
}

TEST(ApplyParamAssignmentTest, AnEmptyValueIsNull) {
  json params = json::parse(R"({"x": 3})");
  ASSERT_TRUE(apply_param_assignment(params, "x="));
  ASSERT_TRUE(params.contains("x"));
  EXPECT_TRUE(params["x"].is_null());
}

TEST(ApplyParamAssignmentTest, ReplacesAnExistingValue) {
  json params = json::parse(R"({"level": 1, "a": {"b": 1}})");
  ASSERT_TRUE(apply_param_assignment(params, "level=2"));
  ASSERT_TRUE(apply_param_assignment(params, "a=flat"));
  EXPECT_EQ(params, json::parse(R"({"level": 2, "a": "flat"})"));
}

TEST(ApplyParamAssignmentTest, MalformedAssignmentsAreErrorsNamingThem) {
  for (const std::string text : {"=1", "novalue", "", "a..b=1", ".a=1", "a.=1"}) {
    json params = json::parse(R"({"keep": 1})");
    auto applied = apply_param_assignment(params, text);
    ASSERT_FALSE(applied) << text;
    EXPECT_NE(applied.error().message.find("\"" + text + "\""), std::string::npos)
        << applied.error().message;
    EXPECT_EQ(applied.error().kind, ErrorKind::usage);
    EXPECT_EQ(params, json::parse(R"({"keep": 1})")) << "changed by " << text;
  }
  json params = json::object();
  auto applied = apply_param_assignment(params, "novalue");
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find("KEY=VALUE"), std::string::npos)
      << applied.error().message;
}

}  // namespace
}  // namespace qa::core
