#include <qa/core/yaml_schema.hpp>

#include <qa/core/yaml_json.hpp>

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

std::string merged(const std::string& yaml) {
  YAML::Node root = YAML::Load(yaml);
  const auto resolved = resolve_yaml_merge_keys(root, "batches.yaml");
  if (!resolved) {
    return resolved.error().message;
  }
  return yaml_to_json(root).dump();
}

TEST(YamlSchemaTest, MergeKeysAreResolvedOwnKeysFirstThenTheMapsInOrder) {
  EXPECT_EQ(merged("base: &b {a: 1, b: 2}\nx: {<<: *b, b: 3}\n"),
            R"({"base":{"a":1,"b":2},"x":{"a":1,"b":3}})");
  EXPECT_EQ(merged("p: &p {a: 1}\nq: &q {a: 2, c: 3}\ny: {<<: [*p, *q], d: 4}\n"),
            R"({"p":{"a":1},"q":{"a":2,"c":3},"y":{"a":1,"c":3,"d":4}})");
  // Nested, and in lists; a merged map that merges itself.
  EXPECT_EQ(merged("b: &b {a: 1}\nc: &c {<<: *b, z: 0}\nl: [{<<: *c}]\n"),
            R"({"b":{"a":1},"c":{"a":1,"z":0},"l":[{"a":1,"z":0}]})");
  // A quoted "<<" is an ordinary key.
  EXPECT_EQ(merged("x: {'<<': text}\n"), R"({"x":{"<<":"text"}})");
}

TEST(YamlSchemaTest, AMergeKeyOnSomethingElseThanMapsNamesTheFileAndLine) {
  EXPECT_EQ(merged("x:\n  <<: [1, 2]\n"),
            "cannot read \"batches.yaml\": line 2: the merge key \"<<\" takes a map or a list of "
            "maps");
}

TEST(YamlSchemaTest, KnownKeysPassAtEveryDepthAndOpenMapsAcceptAnyKey) {
  EXPECT_EQ(check("project: {name: x}\ninputs:\n  database: data\n  batches: [a, b]\n"
                  "run:\n  env: {ANY: 1, OTHER: {deep: 2}}\n"),
            "ok");
  // A key whose value is not a map is not checked further; nor is a document that is no map.
  EXPECT_EQ(check("project: acme\ninputs: ~\n"), "ok");
  EXPECT_EQ(check("[1, 2]"), "ok");
}

TEST(YamlSchemaTest, ALeafKeyAcceptsAMapForItsReaderToRefuse) {
  // `name` has no keys of its own: a map under it is a type error for the config reader to
  // name ("project.name" must be a string), not an unknown key "project.name.x".
  EXPECT_EQ(check("project: {name: {x: 1}}\n"), "ok");
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

std::string bounds(const std::string& yaml) {
  const auto checked = check_yaml_bounds(YAML::Load(yaml), "batches.yaml");
  return checked ? std::string("ok") : checked.error().message;
}

TEST(YamlBoundsTest, ARecursiveAliasIsAnErrorNotACrash) {
  EXPECT_CONTAINS(bounds("x: &a [*a]\n"), "nested deeper than 64 levels (a recursive alias?)");
  EXPECT_CONTAINS(bounds("a: &m {k: *m}\n"), "cannot read \"batches.yaml\": line");
  // Deep but finite nesting within the bound is fine.
  EXPECT_EQ(bounds(std::string(60, '[') + std::string(60, ']')), "ok");
  EXPECT_NE(bounds(std::string(70, '[') + std::string(70, ']')), "ok");
}

TEST(YamlBoundsTest, AnExponentialAliasIsBoundedQuickly) {
  // "Billion laughs": each level holds ten of the previous one, 10^9 values at the top.
  std::string yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string prev = "*l" + std::to_string(level - 1);
    yaml += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) {
      yaml += (i == 0 ? "" : ", ") + prev;
    }
    yaml += "]\n";
  }
  EXPECT_CONTAINS(bounds(yaml), "more than 1000000 values once aliases are expanded");
}

TEST(YamlBoundsTest, ADuplicateKeyNamesBothLines) {
  EXPECT_EQ(bounds("smoke:\n  inputs: [a]\nother: 1\nsmoke:\n  inputs: [b]\n"),
            "cannot read \"batches.yaml\": line 4: duplicate key \"smoke\" (first at line 1)");
  EXPECT_CONTAINS(bounds("a: {k: 1, k: 2}\n"), "duplicate key \"k\"");
  EXPECT_EQ(bounds("a: {k: 1}\nb: {k: 2}\n"), "ok") << "the same key in two maps is fine";
}

TEST(YamlBoundsTest, LoadYamlFileChecksTheBounds) {
  const test::TempDir tmp;
  test::write_text(tmp / "b.yaml", "x: 1\nx: 2\n");
  const auto loaded = load_yaml_file(tmp / "b.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().kind, ErrorKind::config);
  EXPECT_CONTAINS(loaded.error().message, "line 2: duplicate key \"x\"");
}

}  // namespace
}  // namespace qa::core
