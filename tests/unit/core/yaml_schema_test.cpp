#include <qa/core/yaml_schema.hpp>

#include <gtest/gtest.h>

#include <string>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

// project: {name}, inputs: {database, batches}, run: {env: any keys}
YamlSchema test_schema() {
  YamlSchema schema;
  schema.keys["project"].keys["name"];
  schema.keys["inputs"].keys["database"];
  schema.keys["inputs"].keys["batches"];
  schema.keys["run"].keys["env"].open = true;
  return schema;
}

std::string check(const std::string& yaml) {
  const auto checked = check_yaml_keys(YAML::Load(yaml), test_schema(), "qaboard.yaml");
  return checked ? std::string("ok") : checked.error().message;
}

TEST(YamlSchemaTest, KnownKeysPassAtEveryDepthAndOpenMapsAcceptAnyKey) {
  EXPECT_EQ(check("project: {name: x}\ninputs:\n  database: data\n  batches: [a, b]\n"
                  "run:\n  env: {ANY: 1, OTHER: {deep: 2}}\n"),
            "ok");
  // A key whose value is not a map is not checked further; nor is a document that is no map.
  EXPECT_EQ(check("project: acme\ninputs: ~\n"), "ok");
  EXPECT_EQ(check("[1, 2]"), "ok");
}

TEST(YamlSchemaTest, AnUnknownKeyNamesTheFileLineDottedPathAndASuggestion) {
  EXPECT_EQ(check("project: {name: x}\ninputs:\n  database: data\n  batchs: b.yaml\n"),
            "cannot read \"qaboard.yaml\": line 4: unknown key \"inputs.batchs\" "
            "(did you mean \"batches\"?)");
  EXPECT_EQ(check("projekt: {}\n"),
            "cannot read \"qaboard.yaml\": line 1: unknown key \"projekt\" "
            "(did you mean \"project\"?)");
  EXPECT_EQ(check("zzzzzzzz: 1\n"),
            "cannot read \"qaboard.yaml\": line 1: unknown key \"zzzzzzzz\"");
}

TEST(YamlSchemaTest, LinesAreOneBasedAndZeroWhenUnknown) {
  const YAML::Node node = YAML::Load("a: 1\nb:\n  c: 2\n");
  EXPECT_EQ(yaml_line(node["a"]), 1);
  EXPECT_EQ(yaml_line(node["b"]["c"]), 3);
  const YAML::Node& const_node = node;
  EXPECT_EQ(yaml_line(const_node["missing"]), 0);
  EXPECT_EQ(yaml_line(YAML::Node(5)), 0);  // built in memory: no mark
  EXPECT_EQ(yaml_error("f.yaml", node["b"]["c"], "bad value").value().message,
            "cannot read \"f.yaml\": line 3: bad value");
  EXPECT_EQ(yaml_error("f.yaml", YAML::Node(5), "bad value").value().message,
            "cannot read \"f.yaml\": bad value");
}

TEST(YamlSchemaTest, LoadYamlFileParsesOrNamesTheFileLineAndColumn) {
  const test::TempDir tmp;
  test::write_text(tmp / "good.yaml", "a: [1, 2]\n");
  const auto good = load_yaml_file(tmp / "good.yaml");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ((*good)["a"][1].as<int>(), 2);

  test::write_text(tmp / "bad.yaml", "a: 1\nb: [1, 2\n");
  const auto bad = load_yaml_file(tmp / "bad.yaml");
  ASSERT_FALSE(bad);
  EXPECT_CONTAINS(bad.error().message,
                  "cannot read \"" + (tmp / "bad.yaml").string() + "\": line ");
  EXPECT_CONTAINS(bad.error().message, ", column ");

  const auto missing = load_yaml_file(tmp / "missing.yaml");
  ASSERT_FALSE(missing);
  EXPECT_CONTAINS(missing.error().message, "missing.yaml");
}

}  // namespace
}  // namespace qa::core
