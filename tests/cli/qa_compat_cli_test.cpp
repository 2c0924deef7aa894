// `qa`: QA-Board's command line over the qatools tools, on real git repositories made by the
// tests (SPEC section 9).
#include <gtest/gtest.h>

#include <sstream>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Outputs depend on the input and on level.txt; the command echoes what it is given.
constexpr const char* k_config = R"(project: {name: acme/compat, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: cat {input_path} {project_root}/level.txt > {output_dir}/out.txt; echo level={params.level} {configs} args
  params: {level: 1}
)";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

class QaCompat : public ToolTest {
 protected:
  QaCompat() {
    write_config(k_config);
    write_text(m_project / "batches.yaml", "smoke:\n  inputs: [a.in, b.in]\n");
    write_text(m_project / "more.yaml", "extra:\n  inputs: [a.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / "data" / "b.in", "b\n");
    write_text(m_project / "level.txt", "1\n");
    write_text(m_project / ".gitignore", "output/\n");
    m_sha = m_repo->commit_all("first");
  }

  ProcessResult qa(const std::vector<std::string>& args) const { return run_tool("qa", args); }

  std::string m_sha;
};

TEST_F(QaCompat, RunRecordsOneInputWithGroupOptions) {
  const auto result =
      qa({"--label", "exp", "-c", "base", "--tuning", R"({"level": 2})", "run", "-i", "a.in"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["label"], "exp");
  EXPECT_EQ(record["configs"], json::array({"base"}));
  EXPECT_EQ(record["params"]["level"], 2);
  EXPECT_EQ(record["commit"], m_sha);
  EXPECT_EQ(record["status"], "ok");
}

TEST_F(QaCompat, RunForwardsWhatFollowsTheInput) {
  const auto result = qa({"--dryrun", "run", "-i", "a.in", "--fast", "-x", "two words"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("args --fast -x 'two words'"), std::string::npos) << result.out;
  const auto run = qa({"run", "--input", "b.in", "extra"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(QaCompat, RunWithoutInputIsAUsageError) {
  const auto result = qa({"run"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("qa: error: ")) << result.err;
}

TEST_F(QaCompat, DeprecatedSpellingsStillWork) {
  const auto result = qa({"--batch-label", "old", "--dry-run", "--ci", "--no-qa-database", "run",
                          "--input-path", "a.in"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("cat "), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("\"--batch-label\" is deprecated: use \"--label\""), std::string::npos)
      << result.err;
  const auto list = qa({"batch", "--group", "extra", "--groups-file", "more.yaml", "--list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out).size(), 1U);
  ASSERT_EQ(qa({"batch", "smoke"}).exit_code, 0);
  const auto bitacc = qa({"check_bit_accuracy", "--reference-branch", m_sha, "--batch", "smoke"});
  EXPECT_NE(bitacc.err.find("deprecated"), std::string::npos) << bitacc.err;
  EXPECT_EQ(bitacc.exit_code, 0) << bitacc.err;  // HEAD against itself
}

TEST_F(QaCompat, BatchRunsAndStreamsRecords) {
  const auto result = qa({"--label", "nightly", "batch", "smoke", "--runner=local"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2U) << result.out;
  for (const auto& line : lines) {
    EXPECT_EQ(json::parse(line)["label"], "nightly");
  }
  const auto skipped = qa(
      {"--label", "nightly", "batch", "-b", "smoke", "--action-on-existing", "skip", "forwarded"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  const auto unsupported = qa({"batch", "smoke", "--action-on-existing", "sync"});
  EXPECT_EQ(unsupported.exit_code, 2);
  EXPECT_NE(unsupported.err.find("--action-on-existing \"sync\" is not supported"),
            std::string::npos)
      << unsupported.err;
}

TEST_F(QaCompat, BatchListIsAJsonListOfRuns) {
  const auto result = qa({"--dryrun", "batch", "--batches-file", "more.yaml", "smoke", "--list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json runs = json::parse(result.out);
  ASSERT_TRUE(runs.is_array());
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0]["rel_input_path"], "a.in");
  EXPECT_EQ(fs::path(runs[0]["input_path"].get<std::string>()), m_project / "data" / "a.in");
  EXPECT_EQ(fs::path(runs[0]["database"].get<std::string>()), m_project / "data");
  EXPECT_EQ(runs[0]["status"], "planned");
  EXPECT_TRUE(runs[1].contains("output_dir"));
  EXPECT_TRUE(runs[1].contains("command"));
}

TEST_F(QaCompat, BatchListsOutputDirsAndInputsOnePerLine) {
  const auto dirs = qa({"batch", "smoke", "--list-output-dirs"});
  ASSERT_EQ(dirs.exit_code, 0) << dirs.err;
  const auto dir_lines = lines_of(dirs.out);
  ASSERT_EQ(dir_lines.size(), 2U) << dirs.out;
  EXPECT_TRUE(fs::path(dir_lines[0]).is_absolute());
  const auto inputs = qa({"batch", "smoke", "--list-inputs"});
  ASSERT_EQ(inputs.exit_code, 0) << inputs.err;
  EXPECT_EQ(lines_of(inputs.out),
            (std::vector<std::string>{(m_project / "data" / "a.in").string(),
                                      (m_project / "data" / "b.in").string()}));
  // QA-Board's older spelling of --list-output-dirs.
  const auto old = qa({"batch", "smoke", "--return-prefix-outputs-path"});
  EXPECT_EQ(old.out, dirs.out);
}

TEST_F(QaCompat, DryrunBatchShowsCommandsAndRunsNothing) {
  const auto result = qa({"--dryrun", "batch", "smoke"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("a.in"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(m_project / "output"));
}

TEST_F(QaCompat, GetPrintsQaBoardVariables) {
  EXPECT_EQ(qa({"get", "commit_id"}).out, m_sha + "\n");
  EXPECT_EQ(qa({"get", "commit_branch"}).out, "main\n");
  EXPECT_EQ(qa({"get", "project"}).out, "acme/compat\n");
  EXPECT_EQ(qa({"get", "subproject"}).out, ".\n");
  EXPECT_EQ(qa({"--label", "x", "get", "label"}).out, "x\n");
  const auto output_dir = qa({"get", "output_dir", "-i", "a.in"});
  ASSERT_EQ(output_dir.exit_code, 0) << output_dir.err;
  const auto run = qa({"run", "-i", "a.in"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(output_dir.out, single_record(run)["output_dir"].get<std::string>() + "\n");
  const auto unknown = qa({"get", "comit_id"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("did you mean \"commit_id\""), std::string::npos) << unknown.err;
}

TEST_F(QaCompat, GetSubprojectOfANestedProject) {
  const fs::path sub = m_project / "sub";
  write_text(sub / "qaboard.yaml", "project: {name: acme/sub}\nrun: {command: 'true'}\n");
  const auto result = run_tool("qa", {"get", "subproject"}, {}, sub);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "sub\n");
}

TEST_F(QaCompat, CheckBitAccuracyExitsZeroWhenIdenticalAndOneWhenChanged) {
  ASSERT_EQ(qa({"batch", "smoke"}).exit_code, 0);
  write_text(m_project / "notes", "unrelated\n");
  m_repo->commit_all("second");
  ASSERT_EQ(qa({"batch", "smoke"}).exit_code, 0);
  const auto same = qa({"check-bit-accuracy", "--batch", "smoke"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  // Without --batch: every run of HEAD; the documentation's positional batch works too.
  EXPECT_EQ(qa({"check-bit-accuracy"}).exit_code, 0);
  EXPECT_EQ(qa({"check-bit-accuracy", "smoke", "--reference", m_sha}).exit_code, 0);

  write_text(m_project / "level.txt", "2\n");
  m_repo->commit_all("third");
  ASSERT_EQ(qa({"batch", "smoke"}).exit_code, 0);
  const auto changed = qa({"check-bit-accuracy", "-b", "smoke"});
  EXPECT_EQ(changed.exit_code, 1) << changed.out << changed.err;
  EXPECT_NE(changed.out.find("out.txt"), std::string::npos) << changed.out;
}

TEST_F(QaCompat, InitWritesAProjectThatRuns) {
  fs::remove(m_project / "qaboard.yaml");
  const auto init = qa({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ASSERT_TRUE(fs::exists(m_project / "qaboard.yaml"));
  ASSERT_TRUE(fs::exists(m_project / "qa" / "batches.yaml"));
  const std::string config = read_text(m_project / "qaboard.yaml");
  EXPECT_NE(config.find("name: \"my-project\""), std::string::npos) << config;
  EXPECT_NE(config.find("reference_branch: \"main\""), std::string::npos) << config;
  m_repo->commit_all("qa init");
  const auto run = qa({"run", "-i", "qaboard.yaml"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(single_record(run)["output_dir"].get<std::string>() + "/qaboard.yaml"));
  const auto batch = qa({"batch", "smoke"});
  EXPECT_EQ(batch.exit_code, 0) << batch.err;

  // A second init keeps the configuration.
  const std::string written = read_text(m_project / "qaboard.yaml");
  const auto again = qa({"init"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(read_text(m_project / "qaboard.yaml"), written);
}

TEST_F(QaCompat, InitOverwritesNoBatchesFile) {
  fs::remove(m_project / "qaboard.yaml");
  write_text(m_project / "qa" / "batches.yaml", "mine: {inputs: [a.in]}\n");
  const auto result = qa({"init"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(read_text(m_project / "qa" / "batches.yaml"), "mine: {inputs: [a.in]}\n");
  EXPECT_FALSE(fs::exists(m_project / "qaboard.yaml"));
}

TEST_F(QaCompat, HelpListsTheCommandsAndUnknownOnesSuggest) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"help"}, {"--help"}, {"batch", "--help"}}) {
    const auto result = qa(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    for (const char* word : {"run -i", "batch", "get", "check-bit-accuracy", "init", "qa-bitacc"}) {
      EXPECT_NE(result.out.find(word), std::string::npos) << word;
    }
  }
  const auto typo = qa({"bach", "smoke"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.out, "");
  EXPECT_EQ(typo.err,
            "qa: error: unknown command \"bach\" (did you mean \"batch\"?) (see qa --help)\n");
  const auto gone = qa({"save-artifacts"});
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_NE(gone.err.find("no qatools equivalent"), std::string::npos) << gone.err;
  EXPECT_EQ(qa({}).exit_code, 2);
}

}  // namespace
}  // namespace qa::test
