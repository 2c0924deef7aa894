#include <qa/util/json_depth.hpp>

#include <gtest/gtest.h>

#include <string>

#include "support/expect.hpp"

namespace qa::util {
namespace {

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(JsonDepthTest, CountsArraysAndObjectsNotBracketsInStrings) {
  EXPECT_EQ(json_depth("1"), 0);
  EXPECT_EQ(json_depth(R"({"a": [1, {"b": 2}]})"), 3);
  EXPECT_EQ(json_depth(R"({"a": "[[[[{{{{", "b": "\"[[[\\"})"), 1);
  EXPECT_EQ(json_depth(nested(100000)), 100000);
  EXPECT_EQ(json_depth("]]]]"), 0) << "malformed text measures what it can";
}

TEST(JsonDepthTest, TooDeepIsAnErrorNamingTheOrigin) {
  EXPECT_TRUE(check_json_depth(nested(k_max_json_depth), "metrics.json"));
  const auto deep = check_json_depth(nested(70000), "out/metrics.json");
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message,
            "cannot read \"out/metrics.json\": JSON nested deeper than 64 levels");
}

}  // namespace
}  // namespace qa::util
