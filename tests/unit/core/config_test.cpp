#include <qa/core/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <qa/util/strings.hpp>

#include "support/expect.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

using qa::test::contains;

namespace fs = std::filesystem;
using qa::test::TempDir;
using qa::test::write_text;

// Compare two folders ignoring a trailing separator (`data/` and `data` name the same folder).
fs::path without_trailing_separator(fs::path p) {
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) {
    p = p.parent_path();
  }
  return p;
}

using qa::test::ScopedEnv;

// Load `yaml` written as `<tmp>/proj/qaboard.yaml`.
Expected<ProjectConfig> load_text(const TempDir& tmp, const std::string& yaml) {
  const fs::path file = tmp / "proj" / k_config_file_name;
  write_text(file, yaml);
  return load_config(file);
}

// Return the error message of loading `yaml` (failing the test when it loads).
std::string load_error(const TempDir& tmp, const std::string& yaml) {
  auto config = load_text(tmp, yaml);
  EXPECT_FALSE(config.has_value()) << "expected an error for:\n" << yaml;
  return config ? std::string() : config.error().message;
}

TEST(FindConfigTest, FindsTheFileInTheStartFolder) {
  const TempDir tmp;
  write_text(tmp / "qaboard.yaml", "");
  auto found = find_config(tmp.path());
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, tmp / "qaboard.yaml");
}

TEST(FindConfigTest, FindsTheNearestParentFromANestedFolder) {
  const TempDir tmp;
  write_text(tmp / "qaboard.yaml", "");
  write_text(tmp / "a" / "qaboard.yaml", "");
  fs::create_directories(tmp / "a" / "b" / "c");
  auto found = find_config(tmp / "a" / "b" / "c");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, tmp / "a" / "qaboard.yaml");
}

TEST(FindConfigTest, IgnoresAFolderNamedLikeTheFile) {
  const TempDir tmp;
  write_text(tmp / "qaboard.yaml", "");
  fs::create_directories(tmp / "sub" / "qaboard.yaml");
  auto found = find_config(tmp / "sub");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, tmp / "qaboard.yaml");
}

TEST(FindConfigTest, FailsNamingTheStartFolderWhenThereIsNone) {
  const TempDir tmp;
  fs::create_directories(tmp / "x" / "y");
  auto found = find_config(tmp / "x" / "y");
  ASSERT_FALSE(found);
  EXPECT_CONTAINS(found.error().message, "no qaboard.yaml found");
  EXPECT_CONTAINS(found.error().message, (tmp / "x" / "y").string());
}

TEST(LoadConfigTest, ReadsEveryFieldOfAFullFile) {
  const TempDir tmp;
  const ScopedEnv home("HOME", (tmp / "home").string());
  const ScopedEnv cache("QA_CONFIG_TEST_CACHE", "caches");
  const std::string yaml = R"(project:
  name: acme/denoise
  reference_branch: develop
inputs:
  database: data/
  globs: ['*.png', '*.jpg']
  use_parent_folder: true
  batches: [qa/batches.yaml, qa/more/*.yaml]
run:
  command: build/denoise --in {input_path} --out {output_dir} --strength {params.strength}
  postprocess: qa/metrics.sh {output_dir}
  timeout: 600
  env: {OMP_NUM_THREADS: "1", MODE: fast}
  params: {strength: 0.5, level: 6, name: "6", nested: {a: [1, two]}}
outputs:
  metrics: qa/metrics.yaml
bit_accuracy:
  patterns: ['*.png', '*.txt']
  ignore: ['*.log']
storage: ~/${QA_CONFIG_TEST_CACHE}/qatools
runners:
  default: local
  local: {concurrency: 2}
  slurm: {partition: qa, max_parallel: 32, extra_args: [--qos=low, --mem=4G]}
)";
  auto config = load_text(tmp, yaml);
  ASSERT_TRUE(config) << config.error().message;
  const fs::path root = tmp / "proj";

  EXPECT_EQ(config->file, root / "qaboard.yaml");
  EXPECT_EQ(config->root, root);
  EXPECT_EQ(config->name, "acme/denoise");
  EXPECT_EQ(config->reference_branch, "develop");

  EXPECT_TRUE(config->inputs.database.is_absolute());
  EXPECT_EQ(without_trailing_separator(config->inputs.database), root / "data");
  EXPECT_EQ(config->inputs.globs, (std::vector<std::string>{"*.png", "*.jpg"}));
  EXPECT_TRUE(config->inputs.use_parent_folder);
  EXPECT_EQ(config->inputs.batches,
            (std::vector<fs::path>{root / "qa" / "batches.yaml", root / "qa/more/*.yaml"}));

  EXPECT_EQ(config->run.command,
            "build/denoise --in {input_path} --out {output_dir} --strength {params.strength}");
  EXPECT_EQ(config->run.postprocess, "qa/metrics.sh {output_dir}");
  ASSERT_TRUE(config->run.timeout_s);
  EXPECT_DOUBLE_EQ(*config->run.timeout_s, 600.0);
  EXPECT_EQ(config->run.env,
            (std::map<std::string, std::string>{{"MODE", "fast"}, {"OMP_NUM_THREADS", "1"}}));
  EXPECT_EQ(config->run.params, nlohmann::json::parse(
                                    R"({"strength": 0.5, "level": 6, "name": "6",
                                        "nested": {"a": [1, "two"]}})"));

  EXPECT_EQ(config->metrics_file, root / "qa" / "metrics.yaml");
  EXPECT_EQ(config->bit_accuracy.patterns, (std::vector<std::string>{"*.png", "*.txt"}));
  EXPECT_EQ(config->bit_accuracy.ignore, (std::vector<std::string>{"*.log"}));

  EXPECT_EQ(config->storage, (tmp / "home" / "caches" / "qatools").string());

  EXPECT_EQ(config->runners.default_runner, "local");
  EXPECT_EQ(config->runners.local_concurrency, 2);
  EXPECT_EQ(config->runners.slurm.partition, "qa");
  EXPECT_EQ(config->runners.slurm.max_parallel, 32);
  EXPECT_EQ(config->runners.slurm.extra_args, (std::vector<std::string>{"--qos=low", "--mem=4G"}));
  EXPECT_FALSE(config->runners.slurm.time);
}

TEST(LoadConfigTest, ReadsTheSpecExampleVerbatim) {
  const TempDir tmp;
  const ScopedEnv home("HOME", (tmp / "home").string());
  const std::string yaml = R"(project:
  name: acme/denoise            # used in store paths
  reference_branch: main        # default reference for comparisons
inputs:
  database: data/               # root of relative input paths
  globs: ['*.png']              # what counts as an input inside a folder
  use_parent_folder: false      # the input is the folder that holds the match
  batches: qa/batches.yaml      # one path, a glob or a list
run:
  command: build/denoise --in {input_path} --out {output_dir} --strength {params.strength}
  postprocess: qa/metrics.sh {output_dir}     # optional, runs after a successful command
  timeout: 600                  # seconds; the run is killed and marked failed after it
  env: {OMP_NUM_THREADS: "1"}
  deps: [build/denoise, qa/]    # optional: files whose content defines the run (result cache)
outputs:
  metrics: qa/metrics.yaml      # metric definitions (section 6)
bit_accuracy:
  patterns: ['*']               # which output files are compared
  ignore: ['*.log']
storage: ~/.cache/qatools       # a directory (NFS mounts included) or http(s)://host/prefix
runners:
  default: local
  local: {concurrency: 2}
  slurm: {partition: qa, max_parallel: 32, extra_args: []}
)";
  auto config = load_text(tmp, yaml);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->name, "acme/denoise");
  EXPECT_EQ(config->inputs.globs, std::vector<std::string>{"*.png"});
  EXPECT_FALSE(config->inputs.use_parent_folder);
  EXPECT_EQ(config->inputs.batches, std::vector<fs::path>{tmp / "proj/qa/batches.yaml"});
  EXPECT_EQ(config->storage, (tmp / "home" / ".cache" / "qatools").string());
  EXPECT_EQ(config->runners.default_runner, "local");
  EXPECT_TRUE(config->runners.slurm.extra_args.empty());
  EXPECT_EQ(config->run.deps, (std::vector<std::string>{"build/denoise", "qa/"}));
}

TEST(LoadConfigTest, UsesDefaultsForAbsentKeys) {
  const TempDir tmp;
  auto config = load_text(tmp, "run:\n  command: echo hi\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->name, "proj");
  EXPECT_EQ(config->reference_branch, "main");
  EXPECT_EQ(config->inputs.database, tmp / "proj");
  EXPECT_TRUE(config->inputs.globs.empty());
  EXPECT_FALSE(config->inputs.use_parent_folder);
  EXPECT_TRUE(config->inputs.batches.empty());
  EXPECT_EQ(config->run.command, "echo hi");
  EXPECT_EQ(config->run.postprocess, "");
  EXPECT_FALSE(config->run.timeout_s);
  EXPECT_TRUE(config->run.env.empty());
  EXPECT_EQ(config->run.params, nlohmann::json::object());
  EXPECT_TRUE(config->metrics_file.empty());
  EXPECT_EQ(config->bit_accuracy.patterns, std::vector<std::string>{"*"});
  EXPECT_TRUE(config->bit_accuracy.ignore.empty());
  EXPECT_EQ(config->storage, "");
  EXPECT_EQ(config->runners.default_runner, "local");
  EXPECT_EQ(config->runners.local_concurrency, 0);
}

TEST(LoadConfigTest, ANullPatternsKeyKeepsTheDefault) {
  const TempDir tmp;
  auto config = load_text(tmp, "bit_accuracy:\n  patterns:\n  ignore: ['*.log']\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->bit_accuracy.patterns, std::vector<std::string>{"*"});
}

TEST(LoadConfigTest, AnEmptyFileGivesTheDefaults) {
  for (const std::string yaml : {"", "# only a comment\n", "---\n"}) {
    const TempDir tmp;
    auto config = load_text(tmp, yaml);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->name, "proj");
    EXPECT_EQ(config->root, tmp / "proj");
    EXPECT_EQ(config->reference_branch, "main");
    EXPECT_EQ(config->inputs.database, tmp / "proj");
    EXPECT_EQ(config->bit_accuracy.patterns, std::vector<std::string>{"*"});
  }
}

TEST(LoadConfigTest, AcceptsARelativeFileArgument) {
  const TempDir tmp;
  write_text(tmp / "proj" / "qaboard.yaml", "inputs: {database: data}\n");
  const fs::path cwd = fs::current_path();
  fs::current_path(tmp.path());
  auto config = load_config("proj/qaboard.yaml");
  fs::current_path(cwd);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->root, tmp / "proj");
  EXPECT_EQ(config->inputs.database, tmp / "proj" / "data");
}

TEST(LoadConfigTest, NormalizesPathsAndKeepsAbsoluteOnes) {
  const TempDir tmp;
  auto config =
      load_text(tmp, "inputs:\n  database: ../shared/./db\noutputs:\n  metrics: /abs/m.yaml\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->inputs.database, tmp / "shared" / "db");
  EXPECT_EQ(config->metrics_file, fs::path("/abs/m.yaml"));
}

TEST(LoadConfigTest, ReadsTheEntrypointRelativeToTheProject) {
  const TempDir tmp;
  auto config = load_text(tmp, "project:\n  name: user/sample_project\n  entrypoint: qa/main.py\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->entrypoint, tmp / "proj" / "qa" / "main.py");
  EXPECT_EQ(config->run.command, "");
  auto absolute = load_text(tmp, "project: {entrypoint: /abs/./qa/main.py}\n");
  ASSERT_TRUE(absolute) << absolute.error().message;
  EXPECT_EQ(absolute->entrypoint, fs::path("/abs/qa/main.py"));
}

TEST(LoadConfigTest, NoEntrypointIsEmpty) {
  const TempDir tmp;
  for (const auto* yaml :
       {"run: {command: x}\n", "project: {entrypoint: }\n", "project: {entrypoint: ''}\n"}) {
    auto config = load_text(tmp, yaml);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(config->entrypoint.empty()) << yaml;
  }
}

TEST(LoadConfigErrorTest, AnEntrypointThatIsNotAStringNamesKeyAndLine) {
  const TempDir tmp;
  const std::string error = load_error(tmp, "project:\n  entrypoint: [a.py]\n");
  EXPECT_CONTAINS(error, "line 2");
  EXPECT_CONTAINS(error, "\"project.entrypoint\" must be a string");
}

TEST(LoadConfigTest, ExpandsEnvironmentVariablesInPaths) {
  const TempDir tmp;
  const ScopedEnv data("QA_CONFIG_TEST_DATA", (tmp / "elsewhere").string());
  auto config = load_text(tmp, "inputs:\n  database: ${QA_CONFIG_TEST_DATA}/db\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->inputs.database, tmp / "elsewhere" / "db");
}

TEST(LoadConfigTest, AnUnsetVariableIsAnErrorNamingItAndTheLine) {
  const TempDir tmp;
  ::unsetenv("QA_CONFIG_TEST_UNSET");
  const std::string message =
      load_error(tmp, "project:\n  name: p\nstorage: /x/${QA_CONFIG_TEST_UNSET}/y\n");
  EXPECT_CONTAINS(message, "line 3");
  EXPECT_CONTAINS(message, "QA_CONFIG_TEST_UNSET");
}

TEST(LoadConfigTest, KeepsAnHttpStorageUrlAsIs) {
  const TempDir tmp;
  for (const std::string url :
       {"http://cache.example.com:8080/qa", "https://example.com/a/../b/"}) {
    auto config = load_text(tmp, "storage: " + url + "\n");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->storage, url);
  }
}

TEST(LoadConfigTest, ExpandsEnvironmentVariablesInAnHttpStorageUrl) {
  const TempDir tmp;
  const ScopedEnv host("QA_CONFIG_TEST_HOST", "store.example.com");
  auto config = load_text(tmp, "storage: https://${QA_CONFIG_TEST_HOST}/qa\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->storage, "https://store.example.com/qa");
}

TEST(LoadConfigTest, ARelativeStorageFolderIsResolvedAgainstTheProject) {
  const TempDir tmp;
  auto config = load_text(tmp, "storage: store\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->storage, (tmp / "proj" / "store").string());
}

TEST(LoadConfigTest, ReadsRunParamsAsTypedJson) {
  const TempDir tmp;
  auto config = load_text(tmp, R"(run:
  params:
    level: 6
    strength: 0.5
    big: -1e3
    on: true
    off: false
    nothing: ~
    word: yes
    quoted: "6"
    version: 1.2.3
    list: [1, 0.25, "x", null]
    nested: {a: {b: 1}}
)");
  ASSERT_TRUE(config) << config.error().message;
  const nlohmann::json& params = config->run.params;
  EXPECT_TRUE(params["level"].is_number_integer());
  EXPECT_EQ(params["level"], 6);
  EXPECT_TRUE(params["strength"].is_number_float());
  EXPECT_DOUBLE_EQ(params["strength"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(params["big"].get<double>(), -1000.0);
  EXPECT_EQ(params["on"], true);
  EXPECT_EQ(params["off"], false);
  EXPECT_TRUE(params["nothing"].is_null());
  EXPECT_EQ(params["word"], "yes");
  EXPECT_EQ(params["quoted"], "6");
  EXPECT_EQ(params["version"], "1.2.3");
  EXPECT_EQ(params["list"], nlohmann::json::parse(R"([1, 0.25, "x", null])"));
  EXPECT_EQ(params["nested"]["a"]["b"], 1);
}

TEST(LoadConfigTest, ATimeoutMayBeFractional) {
  const TempDir tmp;
  auto config = load_text(tmp, "run:\n  timeout: 0.5\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_DOUBLE_EQ(config->run.timeout_s.value_or(0), 0.5);
}

TEST(LoadConfigTest, AScalarStandsForAOneItemList) {
  const TempDir tmp;
  auto config = load_text(tmp, "inputs:\n  globs: '*.png'\nbit_accuracy:\n  ignore: '*.log'\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->inputs.globs, std::vector<std::string>{"*.png"});
  EXPECT_EQ(config->bit_accuracy.ignore, std::vector<std::string>{"*.log"});
}

TEST(LoadConfigErrorTest, UnknownTopLevelKeyNamesFileLineAndSuggestion) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "project:\n  name: p\n\nstorge: /x\n");
  EXPECT_CONTAINS(message, (tmp / "proj" / "qaboard.yaml").string());
  EXPECT_CONTAINS(message, "line 4");
  EXPECT_CONTAINS(message, "unknown key \"storge\"");
  EXPECT_CONTAINS(message, "did you mean \"storage\"");
}

TEST(LoadConfigErrorTest, UnknownNestedKeyNamesItsDottedPath) {
  const TempDir tmp;
  const std::string message = load_error(tmp, R"(project:
  name: p
inputs:
  database: data
  globs: ['*.png']
  batchs: qa/batches.yaml
)");
  EXPECT_EQ(message, "cannot read \"" + (tmp / "proj" / "qaboard.yaml").string() +
                         "\": line 6: unknown key \"inputs.batchs\" (did you mean \"batches\"?)");
}

TEST(LoadConfigErrorTest, UnknownKeyDeepInsideRunners) {
  const TempDir tmp;
  const std::string message =
      load_error(tmp, "runners:\n  slurm:\n    partition: qa\n    max_paralel: 3\n");
  EXPECT_CONTAINS(message, "line 4");
  EXPECT_CONTAINS(message, "\"runners.slurm.max_paralel\"");
  EXPECT_CONTAINS(message, "did you mean \"max_parallel\"");
}

TEST(LoadConfigErrorTest, UnknownKeyWithoutCloseNameHasNoSuggestion) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "zzzzzzzzzz: 1\n");
  EXPECT_CONTAINS(message, "line 1");
  EXPECT_CONTAINS(message, "unknown key \"zzzzzzzzzz\"");
  EXPECT_FALSE(contains(message, "did you mean")) << message;
}

TEST(LoadConfigErrorTest, UserMapsAcceptAnyKey) {
  const TempDir tmp;
  auto config = load_text(tmp, "run:\n  env: {ANY_NAME: x}\n  params: {batchs: 1}\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->run.env.at("ANY_NAME"), "x");
  EXPECT_EQ(config->run.params["batchs"], 1);
}

TEST(LoadConfigErrorTest, MalformedYamlNamesFileAndLine) {
  const TempDir tmp;
  const std::string message =
      load_error(tmp, "project:\n  name: p\ninputs:\n  globs: ['*.png'\n  database: x\n");
  EXPECT_CONTAINS(message, (tmp / "proj" / "qaboard.yaml").string());
  EXPECT_CONTAINS(message, "line ");
  const std::string bad_indent = load_error(tmp, "project:\n  name: p\n    bad: [\n");
  EXPECT_CONTAINS(bad_indent, "line 3");
}

TEST(LoadConfigErrorTest, ATopLevelListIsAnError) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "- a\n- b\n");
  EXPECT_CONTAINS(message, "mapping");
  EXPECT_CONTAINS(message, (tmp / "proj" / "qaboard.yaml").string());
}

TEST(LoadConfigErrorTest, ASectionThatIsNotAMappingIsAnError) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "project:\n  name: p\ninputs: data/\n");
  EXPECT_CONTAINS(message, "line 3");
  EXPECT_CONTAINS(message, "\"inputs\" must be a mapping");
}

TEST(LoadConfigErrorTest, ANonNumericTimeoutNamesKeyAndLine) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "run:\n  command: x\n  timeout: abc\n");
  EXPECT_CONTAINS(message, "line 3");
  EXPECT_CONTAINS(message, "\"run.timeout\"");
  EXPECT_CONTAINS(message, "\"abc\"");
}

TEST(LoadConfigErrorTest, AQuotedOrNonPositiveTimeoutIsAnError) {
  const TempDir tmp;
  EXPECT_CONTAINS(load_error(tmp, "run:\n  timeout: \"600\"\n"), "\"run.timeout\"");
  EXPECT_CONTAINS(load_error(tmp, "run:\n  timeout: 0\n"), "\"run.timeout\"");
  EXPECT_CONTAINS(load_error(tmp, "run:\n  timeout: -5\n"), "\"run.timeout\"");
  EXPECT_CONTAINS(load_error(tmp, "run:\n  timeout: [1]\n"), "\"run.timeout\"");
  // Huge values are refused, not converted with an overflow into a timeout of a millisecond.
  EXPECT_CONTAINS(load_error(tmp, "run:\n  timeout: 1e10\n"), "at most 2592000 (30 days)");
}

TEST(LoadConfigErrorTest, HugeCountsAreRefusedNamingTheLimit) {
  const TempDir tmp;
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  local: {concurrency: 1e30}\n"),
                  "\"runners.local.concurrency\" must be at most 100000");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  local: {concurrency: -3}\n"), "must be positive");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  slurm: {max_parallel: 1e19}\n"),
                  "\"runners.slurm.max_parallel\" must be a whole number from 0 to 100000");
}

TEST(LoadConfigErrorTest, ANonBooleanUseParentFolderNamesKeyAndLine) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "inputs:\n  use_parent_folder: maybe\n");
  EXPECT_CONTAINS(message, "line 2");
  EXPECT_CONTAINS(message, "\"inputs.use_parent_folder\"");
}

TEST(LoadConfigErrorTest, RunEnvThatIsNotAMapNamesKeyAndLine) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "run:\n  command: x\n  env: [A=1]\n");
  EXPECT_CONTAINS(message, "line 3");
  EXPECT_CONTAINS(message, "\"run.env\"");
}

TEST(LoadConfigErrorTest, RunEnvValueThatIsNotAStringNamesTheVariable) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "run:\n  env:\n    A: 1\n    B: [x]\n");
  EXPECT_CONTAINS(message, "line 4");
  EXPECT_CONTAINS(message, "\"run.env.B\"");
}

TEST(LoadConfigErrorTest, RunParamsThatIsNotAMapIsAnError) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "run:\n  params: [1, 2]\n");
  EXPECT_CONTAINS(message, "line 2");
  EXPECT_CONTAINS(message, "\"run.params\"");
}

TEST(LoadConfigErrorTest, StorageThatIsAListNamesKeyAndLine) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "project:\n  name: p\nstorage: [/a, /b]\n");
  EXPECT_CONTAINS(message, "line 3");
  EXPECT_CONTAINS(message, "\"storage\" must be a path or a map {linux: path, windows: path}");
}

TEST(LoadConfigErrorTest, AListOfMapsWhereStringsAreExpectedIsAnError) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "inputs:\n  globs:\n    - '*.png'\n    - {a: 1}\n");
  EXPECT_CONTAINS(message, "line 4");
  EXPECT_CONTAINS(message, "\"inputs.globs\"");
}

TEST(LoadConfigErrorTest, AnUnknownRunnerIsAnError) {
  const TempDir tmp;
  const std::string message = load_error(tmp, "runners:\n  default: kubernetes\n");
  EXPECT_CONTAINS(message, "line 2");
  EXPECT_CONTAINS(message, "\"kubernetes\"");
}

TEST(LoadConfigErrorTest, RunnerSectionsThatAreNotMapsAreErrors) {
  const TempDir tmp;
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  local: 2\n"), "\"runners.local\"");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  slurm: qa\n"), "\"runners.slurm\"");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  local: {concurrency: many}\n"),
                  "\"runners.local.concurrency\"");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  local: {concurrency: -2}\n"),
                  "\"runners.local.concurrency\"");
}

// QA-Board's keys (SPEC sections 2 and 9).

TEST(QaBoardConfigTest, OnlyKeysAreNoticedOnceEachWithTheirLine) {
  const TempDir tmp;
  const auto config = load_text(tmp, R"(project:
  name: user/sample
  url: git@github.com/user/sample
  type: git
outputs:
  visualizations:
  - path: output.jpg
artifacts:
  binary: {glob: build/x}
runners:
  default: lsf
  lsf: {queue: q}
bit_accuracy:
  plaintext: ['*.txt']
)");
  ASSERT_TRUE(config) << config.error().message;
  const std::string notices = qa::util::join(config->notices, "\n");
  for (const char* key :
       {"line 3: \"project.url\" is ignored (QA-Board's web UI)", "line 4: \"project.type\"",
        "line 8: \"artifacts\"", "line 12: \"runners.lsf\"",
        "line 11: \"runners.default: lsf\" is ignored", "line 14: \"bit_accuracy.plaintext\""}) {
    EXPECT_CONTAINS(notices, key);
  }
  EXPECT_EQ(config->notices.size(), 6U) << notices;
  // outputs.visualizations is read (the HTML report follows it), not ignored.
  EXPECT_EQ(notices.find("visualizations"), std::string::npos) << notices;
  ASSERT_EQ(config->visualizations.size(), 1U);
  EXPECT_EQ(config->visualizations[0].path, "output.jpg");
  EXPECT_EQ(config->runners.default_runner, "local");
  // A typo of a QA-Board key is still an error.
  EXPECT_CONTAINS(load_error(tmp, "project:\n  entrypont: qa/main.py\n"),
                  "(did you mean \"entrypoint\"?)");
}

TEST(QaBoardConfigTest, PathMapsUseTheirLinuxPath) {
  const TempDir tmp;
  const auto config = load_text(tmp, R"(inputs:
  database: {linux: /mnt/data, windows: "D://data"}
  batches:
  - {linux: qa/batches.yaml, windows: 'qa\batches.yaml'}
storage: {linux: store, windows: "//server/store"}
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->inputs.database, fs::path("/mnt/data"));
  ASSERT_EQ(config->inputs.batches.size(), 1U);
  EXPECT_EQ(config->inputs.batches[0], tmp / "proj/qa/batches.yaml");
  EXPECT_EQ(config->storage, (tmp / "proj/store").string());
  // QA-Board's storage split: outputs are the store, the rest is noticed.
  const auto split = load_text(tmp, R"(storage:
  outputs: {linux: /mnt/outputs}
  artifacts: /mnt/artifacts
  garbage: {after: 1month}
)");
  ASSERT_TRUE(split) << split.error().message;
  EXPECT_EQ(split->storage, "/mnt/outputs");
  EXPECT_EQ(split->notices.size(), 2U);
  const std::string error = load_error(tmp, "inputs:\n  database: {windows: 'D://'}\n");
  EXPECT_CONTAINS(error, "line 2");
  EXPECT_CONTAINS(error, "\"inputs.database\" gives no \"linux\" path (it gives: windows)");
}

TEST(QaBoardConfigTest, ConcurrencyMinusOneIsOnePerCore) {
  const TempDir tmp;
  const auto config = load_text(tmp, "runners:\n  local: {concurrency: -1}\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->runners.local_concurrency, 0);
}

TEST(QaBoardConfigTest, InputTypesAndDefaultConfigurations) {
  const TempDir tmp;
  const auto config = load_text(tmp, R"(inputs:
  globs: '*.raw'
  configs: [base, {strength: 1}]
  types:
    default: movie
    movie: {globs: Frame_000.jpg, use_parent_folder: true, database: movies}
    image: {glob: ['*.png']}
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->inputs.configs, nlohmann::json::parse(R"(["base", {"strength": 1}])"));
  const auto untyped = input_settings(config->inputs);
  ASSERT_TRUE(untyped) << untyped.error().message;
  EXPECT_EQ(untyped->type, "movie");
  EXPECT_EQ(untyped->globs, std::vector<std::string>{"Frame_000.jpg"});
  EXPECT_TRUE(untyped->use_parent_folder);
  EXPECT_EQ(untyped->database, tmp / "proj/movies");
  const auto image = input_settings(config->inputs, "image");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->globs, std::vector<std::string>{"*.png"});
  EXPECT_FALSE(image->use_parent_folder);
  EXPECT_EQ(image->database, tmp / "proj");
  const auto unknown = input_settings(config->inputs, "imag");
  ASSERT_FALSE(unknown);
  EXPECT_CONTAINS(unknown.error().message, "unknown input type \"imag\" (did you mean \"image\"?)");
  EXPECT_CONTAINS(load_error(tmp, "inputs:\n  types:\n    default: film\n"),
                  "names the type \"film\"");
  EXPECT_CONTAINS(load_error(tmp, "inputs:\n  types:\n    movie: {globz: x}\n"),
                  "unknown key \"inputs.types.movie.globz\"");
}

TEST(QaBoardConfigTest, ASubprojectMergesOverItsProject) {
  const TempDir tmp;
  write_text(tmp / "repo/qaboard.yaml", R"(project: {name: acme/camera, url: git@x:acme/camera}
inputs:
  database: data
  globs: ['*.raw']
bit_accuracy: {patterns: ['*.bin'], ignore: ['*.log']}
run: {command: "build/run {input_path}", env: {A: "1"}}
)");
  write_text(tmp / "repo/isp/qaboard.yaml", R"(inputs:
  globs: ['*.dng']
bit_accuracy: {patterns: [super, '*.png']}
run: {env: {B: "2"}}
)");
  write_text(tmp / "repo/isp/empty/qaboard.yaml", "# marks a subproject\n");
  write_text(tmp / "repo/isp/raw/qaboard.yaml",
             "inputs:\n  batches: ['{subproject}/batches.yaml', '/db/{project}/b.yaml']\n");
  const auto config = load_config(tmp / "repo/isp/qaboard.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->name, "acme/camera/isp");
  EXPECT_EQ(config->root, tmp / "repo");
  EXPECT_EQ(config->file, tmp / "repo/isp/qaboard.yaml");
  EXPECT_EQ(config->inputs.database, tmp / "repo/data");  // relative to the project root
  EXPECT_EQ(config->inputs.globs, std::vector<std::string>{"*.dng"});
  EXPECT_EQ(config->bit_accuracy.patterns, (std::vector<std::string>{"*.bin", "*.png"}));
  EXPECT_EQ(config->bit_accuracy.ignore, std::vector<std::string>{"*.log"});
  EXPECT_EQ(config->run.command, "build/run {input_path}");
  EXPECT_EQ(config->run.env, (std::map<std::string, std::string>{{"A", "1"}, {"B", "2"}}));
  ASSERT_EQ(config->notices.size(), 1U);  // project.url, once
  const auto empty = load_config(tmp / "repo/isp/empty/qaboard.yaml");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->name, "acme/camera/isp/empty");
  EXPECT_EQ(empty->inputs.globs, std::vector<std::string>{"*.dng"});
  // QA-Board's {subproject} and {project} in paths.
  const auto raw = load_config(tmp / "repo/isp/raw/qaboard.yaml");
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->inputs.batches, (std::vector<fs::path>{tmp / "repo/isp/raw/batches.yaml",
                                                        "/db/acme/camera/isp/raw/b.yaml"}));
  // `root: true` ends the search: that file is the project.
  write_text(tmp / "repo/isp/qaboard.yaml", "root: true\nproject: {name: acme/isp}\n");
  const auto rooted = load_config(tmp / "repo/isp/qaboard.yaml");
  ASSERT_TRUE(rooted) << rooted.error().message;
  EXPECT_EQ(rooted->name, "acme/isp");
  EXPECT_EQ(rooted->root, tmp / "repo/isp");
  // A subfolder's file naming another project is a project of its own (QA-Board refuses it).
  write_text(tmp / "repo/isp/qaboard.yaml", "project: {name: acme/isp}\n");
  const auto other = load_config(tmp / "repo/isp/qaboard.yaml");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->name, "acme/isp");
  EXPECT_EQ(other->root, tmp / "repo/isp");
  EXPECT_TRUE(other->inputs.globs.empty());
  // An error names the file that holds it.
  write_text(tmp / "repo/isp/qaboard.yaml", "inputs:\n  globz: x\n");
  const auto typo = load_config(tmp / "repo/isp/qaboard.yaml");
  ASSERT_FALSE(typo);
  EXPECT_CONTAINS(typo.error().message, (tmp / "repo/isp/qaboard.yaml").string());
}

// A checkout inside another (a CI job folder in the project's tree, a vendored project, a
// submodule) holding the same qaboard.yaml is a project of its own: the search stops at `.git`.
TEST(QaBoardConfigTest, TheSearchForParentProjectsStopsAtTheRepositoryTop) {
  const TempDir tmp;
  const std::string yaml = "project: {name: acme/camera}\ninputs: {globs: ['*.raw']}\n";
  write_text(tmp / "repo/qaboard.yaml", yaml);
  const fs::path job = tmp / "repo/.gitlab-ci-local/builds/qa-batch";
  write_text(job / "qaboard.yaml", "project: {name: acme/camera}\n");
  const auto merged = load_config(job / "qaboard.yaml");
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->root, tmp / "repo");  // no repository boundary: a subproject, as in QA-Board
  for (const bool git_file : {false, true}) {
    if (git_file) {
      fs::remove_all(job / ".git");
      write_text(job / ".git", "gitdir: ../../worktrees/qa-batch\n");  // a worktree, a submodule
    } else {
      fs::create_directories(job / ".git");
    }
    const auto alone = load_config(job / "qaboard.yaml");
    ASSERT_TRUE(alone) << alone.error().message;
    EXPECT_EQ(alone->root, job);
    EXPECT_EQ(alone->name, "acme/camera");
    EXPECT_TRUE(alone->inputs.globs.empty());
  }
  // Subprojects inside the repository still merge up to its top.
  write_text(tmp / "repo/isp/qaboard.yaml", "inputs: {globs: ['*.dng']}\n");
  fs::create_directories(tmp / "repo/.git");
  const auto sub = load_config(tmp / "repo/isp/qaboard.yaml");
  ASSERT_TRUE(sub) << sub.error().message;
  EXPECT_EQ(sub->name, "acme/camera/isp");
  EXPECT_EQ(sub->root, tmp / "repo");
}

TEST(LoadConfigErrorTest, AnInvalidProjectNameIsAnErrorWithItsLine) {
  const TempDir tmp;
  for (const std::string name : {"\"a b\"", "acme/../x", "/abs", "a//b", "\"caf\xc3\xa9\"", "."}) {
    const std::string message = load_error(tmp, "project:\n  name: " + name + "\n");
    EXPECT_CONTAINS(message, "line 2");
    EXPECT_CONTAINS(message, "invalid project name");
  }
}

TEST(LoadConfigErrorTest, AnInvalidDefaultProjectNameIsAnErrorNotAnException) {
  const TempDir tmp;
  for (const std::string yaml :
       {"project:\n  reference_branch: main\n", "", "run: {command: x}\n"}) {
    const fs::path file = tmp / "my project" / k_config_file_name;
    write_text(file, yaml);
    Expected<ProjectConfig> config = tl::unexpected(Error{"not loaded", ErrorKind::config});
    EXPECT_NO_THROW(config = load_config(file));
    ASSERT_FALSE(config) << "loaded with name " << config->name;
    EXPECT_CONTAINS(config.error().message, "invalid project name \"my project\"");
    EXPECT_CONTAINS(config.error().message, "project.name");
    EXPECT_CONTAINS(config.error().message, file.string());
  }
}

TEST(LoadConfigTest, AStorageWithAnyUrlSchemeStaysAUrl) {
  const TempDir tmp;
  for (const std::string url : {"ftp://host/x", "HTTPS://Store.example/qa", "s3://bucket/p"}) {
    auto config = load_text(tmp, "storage: " + url + "\n");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->storage, url) << "not a folder of the project";
  }
  auto folder = load_text(tmp, "storage: results/a:b\n");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->storage, (tmp / "proj/results/a:b").string());
}

TEST(LoadConfigTest, RunDepsAreAListOrOnePath) {
  const TempDir tmp;
  auto one = load_text(tmp, "run:\n  command: x\n  deps: build/x\n");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->run.deps, std::vector<std::string>{"build/x"});
  auto none = load_text(tmp, "run:\n  command: x\n");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->run.deps.empty()) << "no run cache unless asked for";
  const std::string map = load_error(tmp, "run:\n  command: x\n  deps: [{a: 1}]\n");
  EXPECT_CONTAINS(map, "line 3");
  EXPECT_CONTAINS(map, "\"run.deps\"");
  EXPECT_CONTAINS(load_error(tmp, "run:\n  command: x\n  deps: ['']\n"), "empty path");
}

TEST(LoadConfigErrorTest, RefusesFeaturesNotBuilt) {
  const TempDir tmp;
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  default: nomad\n"), "unknown runner \"nomad\"");
  // The options of a runner that is not the default stay accepted.
  EXPECT_TRUE(load_text(tmp, "runners:\n  default: local\n  slurm: {partition: qa}\n"));
}

TEST(LoadConfigTest, ReadsEverySlurmOption) {
  const TempDir tmp;
  auto config = load_text(tmp,
                          "runners:\n  default: slurm\n  slurm:\n    partition: gpu\n"
                          "    time: '1:00:00'\n    mem: 4G\n    cpus_per_task: 2\n"
                          "    max_parallel: 0\n    extra_args: --qos=low\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->runners.default_runner, "slurm");
  EXPECT_EQ(config->runners.slurm.partition, "gpu");
  EXPECT_EQ(config->runners.slurm.time, "1:00:00");
  EXPECT_EQ(config->runners.slurm.mem, "4G");
  EXPECT_EQ(config->runners.slurm.cpus_per_task, 2);
  EXPECT_EQ(config->runners.slurm.max_parallel, 0);
  EXPECT_EQ(config->runners.slurm.extra_args, std::vector<std::string>{"--qos=low"});
}

TEST(LoadConfigErrorTest, BadSlurmOptionsNameKeyAndLine) {
  const TempDir tmp;
  const std::string cpus = load_error(tmp, "runners:\n  slurm:\n    cpus_per_task: 0\n");
  EXPECT_CONTAINS(cpus, "line 3");
  EXPECT_CONTAINS(cpus, "\"runners.slurm.cpus_per_task\" must be a whole number from 1 to 100000");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  slurm: {time: --wrap=rm}\n"),
                  "\"runners.slurm.time\" must be one word not starting with \"-\"");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  slurm: {mem: 4 G}\n"), "\"runners.slurm.mem\"");
  EXPECT_CONTAINS(load_error(tmp, "runners:\n  slurm: {max_parallel: 1.5}\n"),
                  "\"runners.slurm.max_parallel\" must be a whole number");
}

TEST(LoadConfigErrorTest, AMissingFileIsAnErrorNamingIt) {
  const TempDir tmp;
  auto config = load_config(tmp / "nope" / "qaboard.yaml");
  ASSERT_FALSE(config);
  EXPECT_CONTAINS(config.error().message, (tmp / "nope" / "qaboard.yaml").string());
}

TEST(CheckProjectNameTest, AcceptsSlashSeparatedSafeParts) {
  for (const std::string name : {"acme", "acme/denoise", "a.b_c-d/E9", "x/y/z", "..a", ".hidden"}) {
    EXPECT_TRUE(check_project_name(name)) << name;
  }
}

TEST(CheckProjectNameTest, RejectsUnsafeNames) {
  for (const std::string name : {"", ".", "..", "a/..", "../a", "/a", "a/", "a//b", "a b", "a\\b",
                                 "a:b", "caf\xc3\xa9", "a/./b"}) {
    auto checked = check_project_name(name);
    ASSERT_FALSE(checked) << name;
    EXPECT_CONTAINS(checked.error().message, "invalid project name");
  }
}

}  // namespace
}  // namespace qa::core
