// Golden tests of batch expansion: each tests/golden/plans/*.yaml holds a project (config, input
// files, batches file), a request, and the exact plan expected (inputs, configs, params, keys)
// or the error expected. Set QA_UPDATE_GOLDEN=1 to print the actual plans instead of comparing
// (then review them against SPEC section 3 before pasting).
#include <qa/runner/plan.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include <qa/core/tuning.hpp>
#include <qa/core/yaml_json.hpp>

#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> golden_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(QA_SOURCE_DIR) / "tests/golden/plans")) {
    if (entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class GoldenPlan : public ::testing::TestWithParam<fs::path> {};

TEST_P(GoldenPlan, ExpandsExactly) {
  const YAML::Node golden = YAML::LoadFile(GetParam().string());
  test::TempDir tmp;
  const fs::path root = tmp / "project";
  for (const auto& file : golden["files"]) {
    test::write_text(root / "data" / file.as<std::string>(), "input");
  }
  YAML::Node config = golden["project"] ? YAML::Clone(golden["project"]) : YAML::Node();
  config["project"]["name"] = "golden";
  if (!config["inputs"]["database"]) {
    config["inputs"]["database"] = "data";
  }
  config["inputs"]["batches"] = "batches.yaml";
  YAML::Emitter emitter;
  emitter << config;
  test::write_text(root / "qaboard.yaml", emitter.c_str());
  test::write_text(root / "batches.yaml", golden["batches"].as<std::string>());

  ProjectContext context;
  auto loaded = core::load_config(root / "qaboard.yaml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  context.config = *loaded;
  context.commit = git::CommitIdentity{std::string(40, 'a'), false, "main", false};
  context.output_root = root / "output";

  PlanRequest request;
  for (const auto& name : golden["request"]) {
    request.names.push_back(name.as<std::string>());
  }
  if (golden["params"]) {
    request.params = core::yaml_to_json(golden["params"]);
  }
  if (golden["configs"]) {
    request.configs = core::yaml_to_json(golden["configs"]);
  }
  if (golden["label"]) {
    request.label = golden["label"].as<std::string>();
  }
  if (golden["tuning"]) {
    auto points = core::tuning_points(core::yaml_to_json(golden["tuning"]));
    ASSERT_TRUE(points) << points.error().message;
    request.tuning_points = *points;
  }

  const auto plan = make_plan(context, request);
  if (golden["expected_error"]) {
    ASSERT_FALSE(plan) << "expected an error";
    for (const auto& fragment : golden["expected_error"]) {
      EXPECT_NE(plan.error().message.find(fragment.as<std::string>()), std::string::npos)
          << "\"" << fragment.as<std::string>() << "\" not in: " << plan.error().message;
    }
    return;
  }
  ASSERT_TRUE(plan) << plan.error().message;
  json actual = json::array();
  for (const auto& spec : *plan) {
    actual.push_back(json{{"input", spec.input},
                          {"configs", spec.configs},
                          {"params", spec.params},
                          {"key", spec.key}});
  }
  if (std::getenv("QA_UPDATE_GOLDEN") != nullptr) {
    std::cout << GetParam().filename() << ":\n";
    for (const auto& run : actual) {
      std::cout << "  - " << run.dump() << "\n";
    }
    return;
  }
  const json expected = core::yaml_to_json(golden["expected"]);
  ASSERT_EQ(actual.size(), expected.size()) << actual.dump(1);
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i], expected[i]) << "run " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Plans, GoldenPlan, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<fs::path>& file) {
                           std::string name = file.param.stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace qa::runner
