#include <qa/core/yaml_json.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace qa::core {
namespace {

using nlohmann::json;

TEST(ParseYamlScalarTest, IntegersAreIntegers) {
  EXPECT_TRUE(parse_yaml_scalar("6").is_number_integer());
  EXPECT_EQ(parse_yaml_scalar("6"), 6);
  EXPECT_EQ(parse_yaml_scalar("0"), 0);
  EXPECT_EQ(parse_yaml_scalar("-12"), -12);
  EXPECT_EQ(parse_yaml_scalar("007"), 7);
  EXPECT_EQ(parse_yaml_scalar("9223372036854775807"), 9223372036854775807LL);
  EXPECT_EQ(parse_yaml_scalar("-9223372036854775808"), json(INT64_MIN));
}

TEST(ParseYamlScalarTest, APlusSignIsAllowed) {
  EXPECT_TRUE(parse_yaml_scalar("+5").is_number_integer());
  EXPECT_EQ(parse_yaml_scalar("+5"), 5);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("+0.5").get<double>(), 0.5);
}

TEST(ParseYamlScalarTest, FloatsAreFloats) {
  const json half = parse_yaml_scalar("0.5");
  EXPECT_TRUE(half.is_number_float());
  EXPECT_DOUBLE_EQ(half.get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("-1e3").get<double>(), -1000.0);
  EXPECT_TRUE(parse_yaml_scalar("-1e3").is_number_float());
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("1E-2").get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar(".5").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("3.").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("2.5e+2").get<double>(), 250.0);
}

TEST(ParseYamlScalarTest, EdgesOfTheNumberGrammar) {
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("-.5").get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("+.5e-1").get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("1.e2").get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(parse_yaml_scalar("1e2").get<double>(), 100.0);
  EXPECT_TRUE(parse_yaml_scalar("1e2").is_number_float());
  EXPECT_TRUE(parse_yaml_scalar("-0").is_number_integer());
  for (const char* text :
       {"1e+", "1e-", ".e5", "1.2e3.4", "--1", "+-1", "1-", "1..2", "e", "1e2e3", "0.5x", "x0.5"}) {
    EXPECT_TRUE(parse_yaml_scalar(text).is_string()) << text;
  }
}

TEST(ParseYamlScalarTest, OutOfRangeNumbersStayStrings) {
  EXPECT_EQ(parse_yaml_scalar("99999999999999999999"), "99999999999999999999");
  EXPECT_EQ(parse_yaml_scalar("-99999999999999999999"), "-99999999999999999999");
  EXPECT_EQ(parse_yaml_scalar("1e999"), "1e999");
  EXPECT_EQ(parse_yaml_scalar("-1e999"), "-1e999");
  EXPECT_NO_THROW((void)parse_yaml_scalar("1e-400"));
}

TEST(ParseYamlScalarTest, BooleansInTheCoreSchemaSpellings) {
  for (const char* text : {"true", "True", "TRUE"}) {
    EXPECT_EQ(parse_yaml_scalar(text), true) << text;
    EXPECT_TRUE(parse_yaml_scalar(text).is_boolean()) << text;
  }
  for (const char* text : {"false", "False", "FALSE"}) {
    EXPECT_EQ(parse_yaml_scalar(text), false) << text;
    EXPECT_TRUE(parse_yaml_scalar(text).is_boolean()) << text;
  }
}

TEST(ParseYamlScalarTest, NullSpellings) {
  for (const char* text : {"null", "Null", "NULL", "~", ""}) {
    EXPECT_TRUE(parse_yaml_scalar(text).is_null()) << '"' << text << '"';
  }
}

TEST(ParseYamlScalarTest, Yaml11BooleansStayStrings) {
  for (const char* text : {"yes", "no", "on", "off", "Yes", "NO", "y", "n"}) {
    EXPECT_EQ(parse_yaml_scalar(text), text);
  }
}

TEST(ParseYamlScalarTest, OtherTextStaysAString) {
  for (const char* text : {"1.2.3", ".inf", "-.inf", ".nan", "abc", "1_000", "0x1F", "1e", "e3",
                           "-", "+", ".", "1 2", " 6", "6 ", "tRue", "nULL"}) {
    const json value = parse_yaml_scalar(text);
    EXPECT_TRUE(value.is_string()) << '"' << text << "\" gave " << value.dump();
    EXPECT_EQ(value, text);
  }
}

TEST(YamlToJsonTest, NestedMapsAndLists) {
  const YAML::Node node = YAML::Load(R"(
name: denoise
level: 6
strength: 0.5
enabled: true
nothing: ~
empty:
configs: [base, {strength: 0.5}, [1, 2]]
nested:
  a:
    b: [x, 1.5, false]
)");
  const json expected = json::parse(R"({
    "name": "denoise", "level": 6, "strength": 0.5, "enabled": true, "nothing": null,
    "empty": null,
    "configs": ["base", {"strength": 0.5}, [1, 2]],
    "nested": {"a": {"b": ["x", 1.5, false]}}
  })");
  EXPECT_EQ(yaml_to_json(node), expected);
  EXPECT_TRUE(yaml_to_json(node)["level"].is_number_integer());
}

TEST(YamlToJsonTest, QuotedScalarsStayStrings) {
  const YAML::Node node =
      YAML::Load("a: \"6\"\nb: '0.5'\nc: \"true\"\nd: 'null'\ne: \"\"\nf: [\"7\", 7]\n");
  EXPECT_EQ(
      yaml_to_json(node),
      json::parse(R"({"a": "6", "b": "0.5", "c": "true", "d": "null", "e": "", "f": ["7", 7]})"));
}

TEST(YamlToJsonTest, BlockScalarsStayStrings) {
  const YAML::Node node = YAML::Load("a: |\n  6\nb: >\n  true\n");
  const json value = yaml_to_json(node);
  EXPECT_EQ(value["a"], "6\n");
  EXPECT_EQ(value["b"], "true\n");
}

TEST(YamlToJsonTest, EmptyCollectionsAndDocuments) {
  EXPECT_EQ(yaml_to_json(YAML::Load("{}")), json::object());
  EXPECT_EQ(yaml_to_json(YAML::Load("[]")), json::array());
  EXPECT_TRUE(yaml_to_json(YAML::Load("")).is_null());
  EXPECT_TRUE(yaml_to_json(YAML::Node()).is_null());
}

TEST(YamlToJsonTest, AScalarDocument) {
  EXPECT_EQ(yaml_to_json(YAML::Load("6")), 6);
  EXPECT_EQ(yaml_to_json(YAML::Load("hello")), "hello");
  EXPECT_EQ(yaml_to_json(YAML::Load("'6'")), "6");
}

TEST(YamlToJsonTest, KeysAreAlwaysStrings) {
  const json value = yaml_to_json(YAML::Load("1: a\ntrue: b\n"));
  EXPECT_EQ(value, json::parse(R"({"1": "a", "true": "b"})"));
}

}  // namespace
}  // namespace qa::core
