// QA-Board's own files, fetched into tests/qaboard/ with their license: its sample project and
// the batches of its tests/test_iterators.py, loaded unchanged (SPEC section 9).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/records.hpp"
#include "support/tool_fixture.hpp"

#ifndef QA_SOURCE_DIR
#error "QA_SOURCE_DIR must name the source tree"
#endif

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_qaboard = fs::path(QA_SOURCE_DIR) / "tests" / "qaboard";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The sample project of QA-Board (qaboard/sample_project), unchanged, as a git repository.
class QaBoardSample : public ToolTest {
 protected:
  QaBoardSample() {
    fs::copy(k_qaboard / "sample_project", m_project,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    m_repo->commit_all("the sample project of QA-Board");
  }

  // Return the planned runs of `args` (qa-batch --list), failing the test on an error.
  std::vector<json> plan(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         const fs::path& cwd = {}) {
    std::vector<std::string> all = args;
    all.emplace_back("--list");
    const auto result = run_tool("qa-batch", all, env, cwd);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parse_json_lines(result.out);
  }
};

TEST_F(QaBoardSample, QaBoardOnlyKeysWarnOnceEachAndTheProjectLoads) {
  // As QA-Board's tests/test_cli.py: the database is the project (QA_DATABASE), and a batches
  // file lists the images of cli_tests.
  for (const char* image : {"cli_tests/a.jpg", "cli_tests/b.jpg", "cli_tests/dir/c.jpg"}) {
    write_text(m_project / image, "");
  }
  write_text(m_project / "image.batches.yaml",
             "images:\n  globs: ['*.jpg']\n  inputs: [cli_tests]\n  database: {linux: " +
                 m_project.string() + ", windows: " + m_project.string() + "}\n");
  const auto result =
      run_tool("qa-batch", {"--batches-file", "image.batches.yaml", "images", "--list"},
               {{"QA_DATABASE", m_project.string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(parse_json_lines(result.out).size(), 3U);
  for (const char* key : {"\"project.url\" is ignored", "\"project.type\" is ignored"}) {
    EXPECT_EQ(count_of(result.err, key), 1U) << key << " in:\n" << result.err;
  }
  // outputs.visualizations is read by qa-report --html, not ignored.
  EXPECT_EQ(count_of(result.err, "visualizations"), 0U) << result.err;
  EXPECT_EQ(count_of(result.err, "warning:"), 2U) << result.err;
}

TEST_F(QaBoardSample, AMisspeltKeyStillFailsWithASuggestion) {
  std::string config = read_text(m_project / "qaboard.yaml");
  config.replace(config.find("  entrypoint:"), 13, "  entrypiont:");
  write_config(config);
  const auto result = run_tool("qa-batch", {"my-batch", "--list"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown key \"project.entrypiont\" (did you mean \"entrypoint\"?)"),
            std::string::npos)
      << result.err;
}

TEST_F(QaBoardSample, FoldersWithoutGlobsAndAbsolutePathsAreInputs) {
  const std::map<std::string, std::string> env{{"QA_DATABASE", m_project.string()}};
  // No inputs.globs: a folder is one input, as QA-Board's `qa batch cli_tests`.
  const auto folder = plan({"cli_tests"}, env);
  ASSERT_EQ(folder.size(), 1U);
  EXPECT_EQ(folder[0]["input"], "cli_tests");
  // An absolute path is relative to `/`, as QA-Board's `qa batch /dev/null`.
  const auto absolute = plan({"/dev/null"}, env);
  ASSERT_EQ(absolute.size(), 1U);
  EXPECT_EQ(absolute[0]["input"], "dev/null");
  // The sample's own database is {linux: /, windows: "C://"}: its linux path is used.
  const auto rooted = plan({m_project.relative_path().string() + "/cli_tests/a.txt"});
  ASSERT_EQ(rooted.size(), 1U);
}

TEST_F(QaBoardSample, AnEmptySubprojectInheritsTheProjectAndIsNamedAfterIt) {
  write_text(m_project / "cli_tests/a.jpg", "");
  write_text(m_project / "sub.batches.yaml",
             "images:\n  globs: ['*.jpg']\n  inputs: [cli_tests]\n  database: {linux: ., windows: "
             ".}\n");
  // QA-Board reads paths from the root project's folder: `database: .` is the project.
  const auto runs = plan({"--batches-file", "../sub.batches.yaml", "images"},
                         {{"QA_DATABASE", m_project.string()}}, m_project / "subproject");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_EQ(runs[0]["project"], "user/sample_project/subproject");
  EXPECT_EQ(runs[0]["input"], "cli_tests/a.jpg");
}

TEST_F(QaBoardSample, ASubprojectsKeysReplaceTheProjects) {
  write_text(m_project / "subproject/qaboard.yaml", "inputs:\n  globs: ['*.jpg']\n");
  write_text(m_project / "cli_tests/a.jpg", "");
  // The subproject's globs apply (the project has none): only the image is an input.
  const auto runs =
      plan({"cli_tests"}, {{"QA_DATABASE", m_project.string()}}, m_project / "subproject");
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_EQ(runs[0]["input"], "cli_tests/a.jpg");
  EXPECT_EQ(runs[0]["project"], "user/sample_project/subproject");
}

// The acceptance of QA-Board's tests/test_cli.py, with `qa` and the sample's own qa/main.py.
TEST_F(QaBoardSample, QaRunBatchGetAndCheckBitAccuracyWorkOnIt) {
  for (const char* image : {"cli_tests/a.jpg", "cli_tests/b.jpg", "cli_tests/dir/c.jpg"}) {
    write_text(m_project / image, "");
  }
  write_text(m_project / "image.batches.yaml",
             "images:\n  globs: ['*.jpg']\n  inputs: [cli_tests]\n  database: {linux: " +
                 m_project.string() + ", windows: " + m_project.string() + "}\n");
  const std::string first = m_repo->commit_all("images");
  const std::map<std::string, std::string> env{{"QA_DATABASE", m_project.string()}};
  const auto qa = [&](const std::vector<std::string>& args) { return run_tool("qa", args, env); };

  // qa run: the forwarded command reaches main.py, which runs it in the output folder.
  const auto run = qa({"run", "-i", "cli_tests/a.jpg", "echo \"{input_path} => {output_dir}\""});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json record = single_record(run);
  EXPECT_EQ(record["status"], "ok");
  EXPECT_EQ(record["metrics"]["is_failed"], false);
  const std::string log =
      read_text(fs::path(record["output_dir"].get<std::string>()) / "qa-run.log");
  EXPECT_NE(log.find("cli_tests/a.jpg => "), std::string::npos) << log;
  // An absolute input, as QA-Board's `qa run -i /dev/null`.
  EXPECT_EQ(qa({"run", "-i", "/dev/null", "echo \"{input_path} => {output_dir}\""}).exit_code, 0);

  // qa batch: listings, then a run of the batch.
  EXPECT_EQ(qa({"--dryrun", "batch", "cli_tests"}).exit_code, 0);
  const auto list = qa({"batch", "--batches-file", "image.batches.yaml", "images", "--list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const json listed = json::parse(list.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << list.out;
  EXPECT_EQ(listed.size(), 3U);
  const auto dirs =
      qa({"batch", "--batches-file", "image.batches.yaml", "images", "--list-output-dirs"});
  ASSERT_EQ(dirs.exit_code, 0) << dirs.err;
  EXPECT_EQ(count_of(dirs.out, "\n"), 3U) << dirs.out;
  const auto batch = qa({"batch", "--batches-file", "image.batches.yaml", "images",
                         "echo \"{input_path} => {output_dir}\""});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_EQ(parse_json_lines(batch.out).size(), 3U);

  // qa get.
  const auto commit = qa({"get", "commit_id"});
  ASSERT_EQ(commit.exit_code, 0) << commit.err;
  EXPECT_EQ(commit.out, first + "\n");

  // qa check-bit-accuracy: a later commit that changes nothing the runs make is identical.
  write_text(m_project / "README.md", "a change of the docs\n");
  m_repo->commit_all("docs");
  ASSERT_EQ(qa({"batch", "--batches-file", "image.batches.yaml", "images",
                "echo \"{input_path} => {output_dir}\""})
                .exit_code,
            0);
  const auto bitacc = qa({"check-bit-accuracy", "--reference", first, "--batches-file",
                          "image.batches.yaml", "--batch", "images"});
  EXPECT_EQ(bitacc.exit_code, 0) << bitacc.out << bitacc.err;
}

// The batches of QA-Board's tests/test_iterators.py, with the settings that test gives
// (inputs.globs '*.txt', the sample's cli_tests as the database), and its expectations.
class QaBoardIterators : public QaBoardSample {
 protected:
  QaBoardIterators() {
    write_config(R"(project:
  name: user/sample_project
  entrypoint: qa/main.py
inputs:
  globs: '*.txt'
  database: {linux: cli_tests, windows: cli_tests}
)");
    std::string batches = read_text(k_qaboard / "test_iterators.batches.yaml");
    // As the test: its database is the sample project, by absolute path.
    for (auto at = batches.find("qaboard/sample_project"); at != std::string::npos;
         at = batches.find("qaboard/sample_project")) {
      batches.replace(at, 22, m_project.string());
    }
    write_text(m_project / "iter.batches.yaml", batches);
  }

  // Return the configurations of each planned run of `batch`.
  std::vector<json> configs_of(const std::string& batch) {
    std::vector<json> out;
    for (const auto& run : plan({"--batches-file", "iter.batches.yaml", batch})) {
      out.push_back(run["configs"]);
    }
    return out;
  }
};

TEST_F(QaBoardIterators, PlansAreQaBoards) {
  using C = std::vector<json>;
  EXPECT_EQ(configs_of("my-batch"), (C{json::array(), json::array()}));
  EXPECT_EQ(configs_of("you-can-override-the-default-database").size(), 3U);
  EXPECT_EQ(configs_of("you-can-override-runner-config").size(), 1U);
  EXPECT_EQ(configs_of("using-a-custom-configuration"), (C{json{"base"}}));
  EXPECT_EQ(configs_of("multiple-configurations"), (C{json{"base", "low-light"}}));
  EXPECT_EQ(
      configs_of("configurations-can-be-complex-objects"),
      (C{json::parse(R"(["base", "low-light", {"cde": ["-w 9920", "-h 2448", "-it BAYER10"]}])")}));
  EXPECT_EQ(configs_of("each-input-can-have-its-own-configuration"),
            (C{json{"base"}, json::parse(R"(["base", "low-light", {"cde": ["-DD"]}])")}));
  EXPECT_EQ(configs_of("each-input-can-have-its-own-configuration-and-appear-twice"),
            (C{json::parse(R"(["base", {"crop": "A"}])"), json::parse(R"(["base", {"crop": "B"}])"),
               json::parse(R"(["base", {"crop": "C"}])")}));
  EXPECT_EQ(configs_of("you-can-override-globs").size(), 1U);
  EXPECT_EQ(configs_of("my-alias").size(), 2U);
  EXPECT_EQ(configs_of("expand-lists-to-work-well-with-aliases"),
            (C{json{"base", "delta1", "delta2"}}));
  EXPECT_EQ(configs_of("../cli_tests/dir").size(), 1U);  // a batch can be a path
  EXPECT_EQ(configs_of("matrix-configurations"), (C{json{"base"}, json{"base", "delta"}}));
  EXPECT_EQ(configs_of("matrix-configurations-and-per-input"), (C{json{"base", "calibration"}}));
  EXPECT_EQ(configs_of("matrix-configurations-and-per-input-with-base"),
            (C{json{"basebase", "base"}, json{"basebase", "base", "delta"}}));
  EXPECT_EQ(configs_of("matrix-interpolation"),
            (C{json{"base-1"}, json{"base-2"}, json{"base-1", "delta"}, json{"base-2", "delta"}}));
  EXPECT_EQ(configs_of("matrix-keep-type"), (C{json::parse(R"(["base", {"param": 1}])"),
                                               json::parse(R"(["base", {"param": 2}])")}));
  EXPECT_EQ(configs_of("matrix-interpolate"),
            (C{json::parse(R"(["base", "config-v1", {"version": "v1"}])"),
               json::parse(R"(["base", "config-v2", {"version": "v2"}])")}));
  EXPECT_EQ(configs_of("matrix-interpolate-2").size(), 4U);
}

TEST_F(QaBoardIterators, AMatrixPlatformMakesDistinctRunsAndRepeatsAreOneRun) {
  // QA-Board lists 8: 2 platforms x 2 unused `parameter` values x 2 configurations. The unused
  // parameter repeats identical runs, which qatools runs once.
  EXPECT_EQ(configs_of("matrix-many").size(), 4U);
}

}  // namespace
}  // namespace qa::test
