#include <qa/core/placeholders.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/expect.hpp"
#include "support/process.hpp"

namespace qa::core {
namespace {

using nlohmann::json;

// Run `command` under /bin/sh and return its stdout.
std::string shell_output(const std::string& command) {
  return test::sh(command, std::filesystem::current_path());
}

RunValues sample_values() {
  RunValues values;
  values.input_path = "/data/images/a.png";
  values.rel_input_path = "images/a.png";
  values.output_dir = "/proj/output/default/base/images-a.png";
  values.params = json::parse(R"({"strength": 0.5, "level": 6, "fast": true, "name": "x",
                                  "a": {"b": 2}, "none": null, "list": [1, "two"]})");
  values.configs = json::parse(R"(["base", {"strength": 0.5}, "hdr"])");
  values.project_root = "/proj";
  values.commit = "0123456789abcdef0123456789abcdef01234567";
  values.label = "nightly";
  return values;
}

TEST(SubstitutePlaceholdersTest, ReplacesEveryPlaceholder) {
  const RunValues values = sample_values();
  auto command = substitute_placeholders(
      "run {input_path} {rel_input_path} {output_dir} {configs} {project_root} {commit} "
      "{label} {params.level}",
      values);
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command,
            "run /data/images/a.png images/a.png /proj/output/default/base/images-a.png "
            "base:hdr /proj 0123456789abcdef0123456789abcdef01234567 nightly 6");
}

TEST(SubstitutePlaceholdersTest, ParamsJsonIsOneShellWord) {
  const RunValues values = sample_values();
  auto command = substitute_placeholders("printf '%s\\n' {params_json}", values);
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(json::parse(shell_output(*command)), values.params);
}

TEST(SubstitutePlaceholdersTest, AValueWithSpacesAndQuotesStaysOneShellWord) {
  RunValues values = sample_values();
  for (const std::string path :
       {"/data/my images/it's a \"test\".png", "/d/$HOME `id` $(id) ;|&<>*?[]{}\\ x",
        "/d/tab\there/new\nline", "", "-n", "a'b''c'"}) {
    values.input_path = path;
    values.params["text"] = path;
    for (const std::string placeholder : {"{input_path}", "{params.text}"}) {
      auto command = substitute_placeholders("printf '%s\\n' " + placeholder + " end", values);
      ASSERT_TRUE(command) << command.error().message;
      EXPECT_EQ(shell_output(*command), path + "\nend\n") << *command;
    }
  }
}

TEST(SubstitutePlaceholdersTest, EveryValueSurvivesTheShell) {
  RunValues values;
  values.input_path = "/in put/a'b.png";
  values.rel_input_path = "in put/a'b.png";
  values.output_dir = "/out dir/x";
  values.params = json::parse(R"({"s": "a b"})");
  values.configs = json::parse(R"(["with space", "b"])");
  values.project_root = "/root dir";
  values.commit = "c";
  values.label = "l";
  auto command = substitute_placeholders(
      "printf '%s\\n' {input_path} {rel_input_path} {output_dir} {configs} {project_root} "
      "{commit} {label} {params.s}",
      values);
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(shell_output(*command),
            "/in put/a'b.png\nin put/a'b.png\n/out dir/x\nwith space:b\n/root dir\nc\nl\na b\n");
}

TEST(SubstitutePlaceholdersTest, NestedParamsAreDotted) {
  auto command = substitute_placeholders("x {params.a.b}", sample_values());
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "x 2");
}

TEST(SubstitutePlaceholdersTest, FormatsParameterValues) {
  auto command = substitute_placeholders(
      "{params.strength} {params.level} {params.fast} {params.name} {params.none} {params.list} "
      "{params.a}",
      sample_values());
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "0.5 6 true x '' '[1,\"two\"]' '{\"b\":2}'");
}

TEST(SubstitutePlaceholdersTest, AMissingParamIsAnErrorListingTheParameters) {
  auto command = substitute_placeholders("run --strength {params.strenght}", sample_values());
  ASSERT_FALSE(command);
  const std::string& message = command.error().message;
  EXPECT_CONTAINS(message, "{params.strenght}");
  EXPECT_CONTAINS(message, "\"strenght\"");
  EXPECT_CONTAINS(message, "did you mean \"strength\"");
  for (const char* name : {"strength", "level", "fast", "name", "a", "none", "list"}) {
    EXPECT_CONTAINS(message, name);
  }
}

TEST(SubstitutePlaceholdersTest, AMissingParamWithNoParametersSaysNone) {
  RunValues values = sample_values();
  values.params = json::object();
  auto command = substitute_placeholders("run {params.x}", values);
  ASSERT_FALSE(command);
  EXPECT_CONTAINS(command.error().message, "\"x\"");
  EXPECT_CONTAINS(command.error().message, "none");
}

TEST(SubstitutePlaceholdersTest, AMissingNestedParamIsAnError) {
  auto command = substitute_placeholders("run {params.a.c}", sample_values());
  ASSERT_FALSE(command);
  EXPECT_CONTAINS(command.error().message, "\"a.c\"");
  auto through_scalar = substitute_placeholders("run {params.level.x}", sample_values());
  ASSERT_FALSE(through_scalar);
}

TEST(SubstitutePlaceholdersTest, LeavesOtherBracesAlone) {
  const std::string command =
      "awk '{print $1}' f | sed 's/{foo}/x/' && echo ${HOME} {} { } {a b} {params} {1,2} "
      "{input_path";
  auto substituted = substitute_placeholders(command, sample_values());
  ASSERT_TRUE(substituted) << substituted.error().message;
  EXPECT_EQ(*substituted, command);
}

TEST(SubstitutePlaceholdersTest, AMisspeltPlaceholderIsAnErrorWithTheSuggestion) {
  for (const auto& [typo, meant] : std::map<std::string, std::string>{
           {"inptu_path", "input_path"}, {"output_dri", "output_dir"}, {"lable", "label"}}) {
    const auto command = substitute_placeholders("run {" + typo + "} x", sample_values());
    ASSERT_FALSE(command) << typo;
    EXPECT_CONTAINS(
        command.error().message,
        "unknown placeholder {" + typo + "} in the run command (did you mean {" + meant + "}?)");
  }
  // The shell's own ${VAR} is left to the shell, even when it looks like a typo.
  EXPECT_TRUE(substitute_placeholders("echo ${lable}", sample_values()));
}

TEST(SubstitutePlaceholdersTest, SubstitutesNextToOtherText) {
  auto command = substitute_placeholders("{{label}} x{label}y ${label}", sample_values());
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "{nightly} xnightlyy $nightly");
}

TEST(SubstitutePlaceholdersTest, ACommandWithoutPlaceholdersIsUnchanged) {
  for (const std::string command : {"", "echo hi", "}{", "{"}) {
    auto substituted = substitute_placeholders(command, sample_values());
    ASSERT_TRUE(substituted) << substituted.error().message;
    EXPECT_EQ(*substituted, command);
  }
}

TEST(ConfigsTextTest, JoinsNamesWithColonsSkippingMaps) {
  EXPECT_EQ(configs_text(json::parse(R"(["base", {"strength": 0.5}, "hdr"])")), "base:hdr");
  EXPECT_EQ(configs_text(json::parse(R"(["only"])")), "only");
  EXPECT_EQ(configs_text(json::parse(R"([{"a": 1}])")), "");
  EXPECT_EQ(configs_text(json::array()), "");
}

TEST(ParamTextTest, FormatsEachType) {
  EXPECT_EQ(param_text(json("a b")), "a b");
  EXPECT_EQ(param_text(json(0.5)), "0.5");
  EXPECT_EQ(param_text(json(6)), "6");
  EXPECT_EQ(param_text(json(-3)), "-3");
  EXPECT_EQ(param_text(json(true)), "true");
  EXPECT_EQ(param_text(json(false)), "false");
  EXPECT_EQ(param_text(json(nullptr)), "");
  EXPECT_EQ(param_text(json::parse(R"([1, "a"])")), R"([1,"a"])");
  EXPECT_EQ(param_text(json::parse(R"({"k": [1]})")), R"({"k":[1]})");
}

TEST(RunEnvironmentTest, ExportsEveryValue) {
  const RunValues values = sample_values();
  const auto env = run_environment(values);
  const std::map<std::string, std::string> expected{
      {"QA_INPUT_PATH", "/data/images/a.png"},
      {"QA_REL_INPUT_PATH", "images/a.png"},
      {"QA_OUTPUT_DIR", "/proj/output/default/base/images-a.png"},
      {"QA_PARAMS", values.params.dump()},
      {"QA_CONFIGS", "base:hdr"},
      {"QA_CONFIGS_JSON", values.configs.dump()},
      {"QA_COMMIT", "0123456789abcdef0123456789abcdef01234567"},
      {"QA_LABEL", "nightly"},
      {"QA_PROJECT_ROOT", "/proj"},
  };
  EXPECT_EQ(env, expected);
  EXPECT_EQ(json::parse(env.at("QA_PARAMS")), values.params);
}

TEST(RunEnvironmentTest, ValuesAreNotQuoted) {
  RunValues values;
  values.input_path = "/a b/it's.png";
  const auto env = run_environment(values);
  EXPECT_EQ(env.at("QA_INPUT_PATH"), "/a b/it's.png");
  EXPECT_EQ(env.at("QA_PARAMS"), "{}");
  EXPECT_EQ(env.at("QA_CONFIGS"), "");
  EXPECT_EQ(env.at("QA_CONFIGS_JSON"), "[]");
}

}  // namespace
}  // namespace qa::core
