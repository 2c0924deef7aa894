#include <qa/core/batches.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <qa/util/strings.hpp>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project with a database of inputs and a batches file written by each test.
class BatchesTest : public ::testing::Test {
 protected:
  BatchesTest() {
    for (const char* file : {"a.png", "b.png", "images/c.png", "images/sub/d.png",
                             "images/notes.txt", "scenes/s1/f.raw", "scenes/s1/g.raw",
                             "scenes/s2/f.raw", "scenes/s3/readme.txt", "other/x.png"}) {
      test::write_text(m_tmp / "proj/data" / file, "input");
    }
    m_defaults.project_root = m_tmp / "proj";
    m_defaults.inputs.database = m_tmp / "proj/data";
    m_defaults.inputs.globs = {"*.png"};
  }

  // Write `yaml` as the project's batches file and expand `names` with the default inputs;
  // return each run as "input configs" (or the error message).
  std::vector<std::string> expand(const std::string& yaml, const std::vector<std::string>& names) {
    auto runs = expand_runs(yaml, names);
    if (!runs) {
      return {"error: " + runs.error().message};
    }
    std::vector<std::string> out;
    for (const auto& run : *runs) {
      out.push_back(run.input + " " + run.configs.dump());
    }
    return out;
  }

  Expected<std::vector<BatchRun>> expand_runs(const std::string& yaml,
                                              const std::vector<std::string>& names) {
    test::write_text(m_tmp / "proj/batches.yaml", yaml);
    auto batches = Batches::load({m_tmp / "proj/batches.yaml"}, m_tmp / "proj");
    if (!batches) {
      return tl::unexpected(batches.error());
    }
    return batches->expand(names, m_defaults);
  }

  // Return the error of expanding `names` of `yaml` (failing the test when it succeeds).
  std::string error_of(const std::string& yaml, const std::vector<std::string>& names) {
    auto runs = expand_runs(yaml, names);
    EXPECT_FALSE(runs) << "expected an error for:\n" << yaml;
    return runs ? std::string() : runs.error().message;
  }

  test::TempDir m_tmp;
  InputDefaults m_defaults;
};

using Runs = std::vector<std::string>;

TEST_F(BatchesTest, InputsListGivesOneRunPerPathWithTheBatchConfigs) {
  const auto runs =
      expand_runs("smoke:\n  inputs: [a.png, b.png]\n  configs: [base, 720]\n", {"smoke"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].batch, "smoke");
  EXPECT_EQ((*runs)[0].database, m_tmp / "proj/data");
  EXPECT_EQ((*runs)[0].input, "a.png");
  EXPECT_EQ((*runs)[1].input, "b.png");
  // A number is a configuration name, written as text.
  EXPECT_EQ((*runs)[1].configs, json::parse(R"(["base", "720"])"));
}

TEST_F(BatchesTest, InputsMapAppendsEachInputsConfigsToTheBatchs) {
  EXPECT_EQ(expand("per-input:\n"
                   "  configs: [base]\n"
                   "  inputs:\n"
                   "    a.png: [low-light, [night]]\n"
                   "    b.png: {strength: 0.9}\n"
                   "    images/c.png:\n",
                   {"per-input"}),
            (Runs{R"(a.png ["base","low-light","night"])", R"(b.png ["base",{"strength":0.9}])",
                  R"(images/c.png ["base"])"}));
}

TEST_F(BatchesTest, InputsListAcceptsOneKeyMapsAndListsAndRepeatedPaths) {
  EXPECT_EQ(
      expand("b:\n  configurations: base\n"
             "  tests:\n    - a.png\n    - a.png: fast\n    - [a.png, slow, {q: 1}]\n",
             {"b"}),
      (Runs{R"(a.png ["base"])", R"(a.png ["base","fast"])", R"(a.png ["base","slow",{"q":1}])"}));
  // As QA-Board: a map in the list may name several inputs.
  EXPECT_EQ(expand("b:\n  inputs:\n    - {a.png: x, b.png: y}\n", {"b"}),
            (Runs{R"(a.png ["x"])", R"(b.png ["y"])"}));
  EXPECT_CONTAINS(error_of("b:\n  inputs:\n    - [[a.png]]\n", {"b"}),
                  "an input is a path, {path: configs} or [path, config...]");
}

TEST_F(BatchesTest, AFolderExpandsRecursivelyToTheFilesMatchingTheGlobs) {
  EXPECT_EQ(expand("full:\n  inputs: [images/]\n", {"full"}),
            (Runs{"images/c.png []", "images/sub/d.png []"}));
  // A batch's globs replace inputs.globs.
  EXPECT_EQ(expand("notes:\n  inputs: [images]\n  glob: '*.txt'\n", {"notes"}),
            (Runs{"images/notes.txt []"}));
  // No inputs: everything under the database.
  EXPECT_EQ(expand("all:\n  configs: [x]\n", {"all"}),
            (Runs{R"(a.png ["x"])", R"(b.png ["x"])", R"(images/c.png ["x"])",
                  R"(images/sub/d.png ["x"])", R"(other/x.png ["x"])"}));
}

TEST_F(BatchesTest, UseParentFolderGivesTheFoldersHoldingMatchesOnce) {
  EXPECT_EQ(expand("scenes:\n  inputs: [scenes/]\n  globs: ['*.raw']\n  use_parent_folder: true\n",
                   {"scenes"}),
            (Runs{"scenes/s1 []", "scenes/s2 []"}));
  m_defaults.inputs.globs = {"*.raw"};
  m_defaults.inputs.use_parent_folder = true;
  EXPECT_EQ(expand("files:\n  inputs: [scenes/s2]\n  use_parent_folder: false\n", {"files"}),
            (Runs{"scenes/s2/f.raw []"}));
  EXPECT_CONTAINS(error_of("b:\n  use_parent_folder: maybe\n", {"b"}),
                  "\"use_parent_folder\" must be true or false");
}

TEST_F(BatchesTest, DatabaseOfTheFileAndOfABatchAreRelativeToTheProjectRoot) {
  const auto runs = expand_runs(
      "database: data/images\n"
      "a:\n  inputs: [c.png]\n"
      "b:\n  database: data/other\n  inputs: [x.png]\n",
      {"a", "b"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].database, m_tmp / "proj/data/images");
  EXPECT_EQ((*runs)[0].input, "c.png");
  EXPECT_EQ((*runs)[1].database, m_tmp / "proj/data/other");
  EXPECT_EQ((*runs)[1].input, "x.png");
}

TEST_F(BatchesTest, MatrixGivesOneRunPerCombinationInputsVaryingSlowest) {
  EXPECT_EQ(
      expand("sweep:\n"
             "  inputs: [a.png, b.png]\n"
             "  configs: [{strength: '${matrix.strength}', tag: 's${matrix.strength}'}]\n"
             "  matrix:\n    strength: [0.1, 0.5]\n",
             {"sweep"}),
      (Runs{R"(a.png [{"strength":0.1,"tag":"s0.1"}])", R"(a.png [{"strength":0.5,"tag":"s0.5"}])",
            R"(b.png [{"strength":0.1,"tag":"s0.1"}])",
            R"(b.png [{"strength":0.5,"tag":"s0.5"}])"}));
  EXPECT_CONTAINS(error_of("b:\n  inputs: [a.png]\n  configs: ['${matrix.nope}']\n"
                           "  matrix: {q: [1]}\n",
                           {"b"}),
                  "nope");
}

TEST_F(BatchesTest, AliasesResolveRecursivelyAndKeepUnknownNamesAsPaths) {
  EXPECT_EQ(expand("aliases:\n  nightly: [smoke, [more]]\ngroups:\n  more: [full, b.png]\n"
                   "smoke:\n  inputs: [a.png]\nfull:\n  inputs: [images/sub]\n",
                   {"nightly"}),
            (Runs{"a.png []", "images/sub/d.png []", "b.png []"}));
  EXPECT_CONTAINS(error_of("aliases:\n  x: [y]\n  y: [z, x]\n", {"x"}), "alias cycle: x -> y -> x");
}

TEST_F(BatchesTest, ExpansionsMultiplyingPastTheLimitsAreRefusedQuickly) {
  // Aliases listing 9^9 batches, or 9^9 times a batch giving nothing.
  std::string aliases =
      "aliases:\n  e: []\n  a0: [smoke, smoke, smoke, smoke, smoke, smoke, "
      "smoke, smoke, smoke]\n  z0: [e, e, e, e, e, e, e, e, e]\n";
  for (int i = 1; i < 9; ++i) {
    for (const char* prefix : {"a", "z"}) {
      aliases += fmt::format(
          "  {}{}: [{}]\n", prefix, i,
          util::join(std::vector<std::string>(9, prefix + std::to_string(i - 1)), ", "));
    }
  }
  const std::string yaml = "smoke: {inputs: [a.png]}\n" + aliases;
  EXPECT_CONTAINS(error_of(yaml, {"a8"}), "names more than 10000 batches");
  EXPECT_CONTAINS(error_of(yaml, {"z8"}), "names more than 10000 batches");
  // Inputs times matrix combinations, refused before any configuration is substituted.
  const auto list = [](std::size_t count, const std::string& item) {
    return "[" + util::join(std::vector<std::string>(count, item), ", ") + "]";
  };
  EXPECT_CONTAINS(error_of("wide:\n  inputs: " + list(1001, "a.png") +
                               "\n  matrix: {x: " + list(1000, "1") + "}\n",
                           {"wide"}),
                  "1001 inputs times 1000 matrix combinations is more than 1000000 runs");
  // The runs of all the names requested: a batch of 1001 runs named 1000 times.
  EXPECT_CONTAINS(error_of("wide:\n  inputs: [a.png]\n  matrix: {x: " + list(1001, "1") +
                               "}\naliases:\n  many: " + list(1000, "wide") + "\n",
                           {"many"}),
                  "give more than 1000000 runs: the plan is too large");
}

TEST_F(BatchesTest, ARequestedNameThatIsNoBatchIsAPathOrGlobUnderTheDatabase) {
  const auto runs = expand_runs("smoke:\n  inputs: [a.png]\n", {"images", "*.png"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 4U);
  EXPECT_EQ((*runs)[0].batch, "images");
  EXPECT_EQ((*runs)[0].input, "images/c.png");
  EXPECT_EQ((*runs)[1].input, "images/sub/d.png");
  EXPECT_EQ((*runs)[2].input, "a.png");
  EXPECT_EQ((*runs)[3].input, "b.png");
  const std::string error = error_of("smoke:\n  inputs: [a.png]\n", {"smokee"});
  EXPECT_CONTAINS(error, "unknown batch \"smokee\" (did you mean \"smoke\"?)");
  EXPECT_CONTAINS(error, "batches.yaml");
}

TEST_F(BatchesTest, ErrorsNameTheFileTheLineAndTheBatch) {
  const std::string unknown_key = error_of("smoke:\n  inputs: [a.png]\n  confgs: [x]\n", {"smoke"});
  EXPECT_CONTAINS(unknown_key, "batches.yaml\": line 3: batch \"smoke\": unknown key \"confgs\"");
  EXPECT_CONTAINS(unknown_key, "(did you mean \"configs\"?)");
  const std::string missing =
      error_of("smoke:\n  inputs:\n    - a.png\n    - nope.png\n", {"smoke"});
  EXPECT_CONTAINS(missing, "line 4: batch \"smoke\"");
  EXPECT_CONTAINS(missing, "input \"nope.png\" not found");
  EXPECT_CONTAINS(error_of("smoke: [a.png]\n", {"smoke"}), "line 1: \"smoke\" is not a batch");
}

// QA-Board's input rules (SPEC section 9), from its iterators.py.

TEST_F(BatchesTest, GlobsFilterListedFilesAndAFolderWithoutGlobsIsOneInput) {
  EXPECT_EQ(expand("b:\n  inputs: [a.png, images/notes.txt]\n", {"b"}), (Runs{"a.png []"}));
  m_defaults.inputs.globs.clear();
  EXPECT_EQ(expand("b:\n  inputs: [images, a.png]\n", {"b"}), (Runs{"images []", "a.png []"}));
  // No inputs and no globs: each entry at the top of the database.
  EXPECT_EQ(expand("all: {configs: [x]}\n", {"all"}),
            (Runs{R"(a.png ["x"])", R"(b.png ["x"])", R"(images ["x"])", R"(other ["x"])",
                  R"(scenes ["x"])"}));
}

TEST_F(BatchesTest, DoubleStarPatternsAndAbsolutePaths) {
  EXPECT_EQ(expand("b:\n  inputs: ['**/d.png', 'scenes/**/f.raw']\n  globs: ['*']\n", {"b"}),
            (Runs{"images/sub/d.png []", "scenes/s1/f.raw []", "scenes/s2/f.raw []"}));
  const std::string absolute = (m_tmp / "proj/data/images/c.png").string();
  const auto runs = expand_runs("b:\n  inputs: ['" + absolute + "']\n", {"b"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 1U);
  EXPECT_EQ((*runs)[0].database, fs::path("/"));
  EXPECT_EQ((*runs)[0].input, absolute.substr(1));
}

TEST_F(BatchesTest, PerInputSettingsBlocksAreSettingsAndTheRestAParameterPatch) {
  const auto runs = expand_runs(R"(b:
  configs: [base]
  inputs:
    c.png: {database: {linux: data/images, windows: 'D:/x'}, strength: 2}
    scenes/s1: {globs: '*.raw', configs: [raw]}
    other/x.png: {type: ~, platform: windows, lsf: {queue: q}}
)",
                                {"b"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 4U);
  EXPECT_EQ((*runs)[0].database, m_tmp / "proj/data/images");
  EXPECT_EQ((*runs)[0].input, "c.png");
  EXPECT_EQ((*runs)[0].configs, json::parse(R"(["base", {"strength": 2}])"));
  EXPECT_EQ((*runs)[1].input, "scenes/s1/f.raw");
  EXPECT_EQ((*runs)[1].configs, json::parse(R"(["base", "raw"])"));
  EXPECT_EQ((*runs)[2].input, "scenes/s1/g.raw");
  EXPECT_EQ((*runs)[3].input, "other/x.png");
  // QA-Board's platform is the parameter `platform` of the run.
  EXPECT_EQ((*runs)[3].configs, json::parse(R"(["base", {"platform": "windows"}])"));
}

TEST_F(BatchesTest, InputTypesGiveTheirSettingsAndDefaultConfigurations) {
  m_defaults.inputs.configs = json::array({"default-config"});
  m_defaults.inputs.types["scene"] = ProjectConfig::InputType{
      m_tmp / "proj/data/scenes", std::vector<std::string>{"*.raw"}, true, std::nullopt};
  const auto runs = expand_runs(R"(scenes:
  type: scene
plain:
  inputs: [a.png]
per-input:
  inputs:
    scenes: {type: scene}
)",
                                {"scenes", "plain", "per-input"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 5U);
  EXPECT_EQ((*runs)[0].input, "s1");
  EXPECT_EQ((*runs)[0].type, "scene");
  EXPECT_EQ((*runs)[0].database, m_tmp / "proj/data/scenes");
  EXPECT_EQ((*runs)[0].configs, json::array({"default-config"}));
  EXPECT_EQ((*runs)[1].input, "s2");
  EXPECT_EQ((*runs)[2].input, "a.png");
  EXPECT_EQ((*runs)[2].type, "default");
  // An input's type gives its globs, not its database.
  EXPECT_EQ((*runs)[3].input, "scenes/s1");
  EXPECT_EQ((*runs)[4].input, "scenes/s2");
  EXPECT_CONTAINS(error_of("b:\n  type: scen\n", {"b"}),
                  "line 2: batch \"b\": unknown input type \"scen\" (did you mean \"scene\"?)");
}

TEST_F(BatchesTest, EntriesThatAreNoBatchSitBesideTheBatches) {
  const std::string yaml = R"(common: &common
  strength: 2
names: [a, b]
smoke:
  inputs: [a.png]
  configs: [*common]
)";
  EXPECT_EQ(expand(yaml, {"smoke"}), (Runs{R"(a.png [{"strength":2}])"}));
  EXPECT_CONTAINS(error_of(yaml, {"names"}), "line 3: \"names\" is not a batch");
  // An empty map, or nothing, is a batch of everything in the database.
  EXPECT_EQ(expand("all: {}\nnone:\n", {"all"}), expand("all: {}\nnone:\n", {"none"}));
  EXPECT_EQ(expand("all: {}\n", {"all"}).size(), 5U);
  // A typo of a batch key is still a batch, with its error.
  EXPECT_CONTAINS(error_of("smoke:\n  inptus: [a.png]\n", {"smoke"}),
                  "batch \"smoke\": unknown key \"inptus\" (did you mean \"inputs\"?)");
  EXPECT_CONTAINS(error_of("smoke:\n  description: a long text\n", {"smoke"}),
                  "\"smoke\" is not a batch: none of its keys is a batch's (\"description\")");
}

TEST_F(BatchesTest, LaterFilesReplaceBatchesAndNamesListBatchesAndAliases) {
  test::write_text(m_tmp / "proj/qa/1.yaml",
                   "smoke:\n  inputs: [a.png]\nfull:\n  inputs: [b.png]\n");
  test::write_text(m_tmp / "proj/qa/2.yaml",
                   ".anchor: &x [b.png]\nsmoke:\n  inputs: *x\naliases: {all: [smoke, full]}\n");
  auto batches =
      Batches::load({m_tmp / "proj/qa/*.yaml", m_tmp / "proj/qa/none-*.yaml"}, m_tmp / "proj");
  ASSERT_TRUE(batches) << batches.error().message;
  EXPECT_EQ(batches->names(), (std::vector<std::string>{"all", "full", "smoke"}));
  const auto runs = batches->expand({"smoke"}, m_defaults);
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 1U);
  EXPECT_EQ((*runs)[0].input, "b.png");
  // A glob matching nothing is fine; a missing plain path is not.
  EXPECT_FALSE(Batches::load({m_tmp / "proj/qa/missing.yaml"}, m_tmp / "proj"));
}

TEST(ExpandInputPathTest, AFileIsItselfAndAPathOutsideTheDatabaseIsRefused) {
  const test::TempDir tmp;
  test::write_text(tmp / "db/a.txt", "x");
  test::write_text(tmp / "secret.txt", "x");
  const auto file = expand_input_path(tmp / "db", "a.txt", {}, false);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->inputs, std::vector<std::string>{"a.txt"});
  // As QA-Board: the globs filter listed files too.
  const auto filtered = expand_input_path(tmp / "db", "a.txt", {"*.png"}, false);
  ASSERT_TRUE(filtered) << filtered.error().message;
  EXPECT_TRUE(filtered->inputs.empty());
  const auto outside = expand_input_path(tmp / "db", "../secret.txt", {}, false);
  ASSERT_FALSE(outside);
  EXPECT_CONTAINS(outside.error().message, "is not inside the database");
  const auto none = expand_input_path(tmp / "db", "*.png", {}, false);
  ASSERT_FALSE(none);
  EXPECT_CONTAINS(none.error().message, "no input matches \"*.png\"");
}

TEST_F(BatchesTest, ABatchSlurmBlockReachesEachOfItsRuns) {
  auto runs = expand_runs(
      "gpu:\n  inputs: [a.png]\n  slurm: {partition: gpu, time: '10', extra_args: --qos=high}\n"
      "cpu: {inputs: [b.png]}\n",
      {"gpu", "cpu"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].slurm.partition, "gpu");
  EXPECT_EQ((*runs)[0].slurm.time, "10");
  EXPECT_EQ((*runs)[0].slurm.extra_args, std::vector<std::string>{"--qos=high"});
  EXPECT_EQ((*runs)[1].slurm, SlurmOptions{});
  const std::string error = error_of("gpu:\n  inputs: [a.png]\n  slurm: {partion: gpu}\n", {"gpu"});
  EXPECT_NE(error.find("line 3"), std::string::npos) << error;
  EXPECT_NE(error.find("\"gpu.slurm.partion\""), std::string::npos) << error;
}

TEST_F(BatchesTest, ABatchReferenceReachesEachOfItsRuns) {
  auto runs = expand_runs(
      "pinned:\n  inputs: [a.png]\n  reference: release-1\n"
      "moving: {inputs: [b.png]}\n",
      {"pinned", "moving"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].reference, "release-1");
  EXPECT_EQ((*runs)[1].reference, "") << "no reference of its own: auto";
  const std::string error =
      error_of("pinned:\n  inputs: [a.png]\n  reference: [a, b]\n", {"pinned"});
  EXPECT_NE(error.find("line 3"), std::string::npos) << error;
  EXPECT_NE(error.find("\"reference\" must be a milestone, tag, branch or sha"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace qa::core
