// qa-run on real git repositories made by the tests (SPEC section 5, issue acceptance points).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project whose command copies the input to out.txt, writes a second output and metrics.
constexpr const char* k_copy_config = R"(project:
  name: acme/copy
inputs:
  database: data
run:
  command: >-
    cp {input_path} {output_dir}/out.txt && printf 'fixed' > {output_dir}/const.bin &&
    echo ran {label} {configs} {params.level} &&
    echo '{"score": 3, "badges": {"model": "m1"}}' > {output_dir}/metrics.json
  params: {level: 1}
  timeout: 20
)";

class QaRun : public ToolTest {
 protected:
  QaRun() {
    write_config(k_copy_config);
    write_text(m_project / "data" / "sub dir" / "café.txt", "hello\n");
    write_text(m_project / "data" / "b.txt", "bbb\n");
    write_text(m_project / ".gitignore", "output/\n");
    m_sha = m_repo->commit_all("first");
  }

  // The xxh128 of `file` as `xxhsum -H2` prints it.
  static std::string xxhsum(const fs::path& file) {
    const std::string out = sh("xxhsum -H2 '" + file.string() + "'", fs::current_path());
    return out.substr(0, out.find(' '));
  }

  std::string m_sha;
};

TEST_F(QaRun, RecordsACleanCommitWithItsBranch) {
  const auto result = run_tool("qa-run", {"--input", "sub dir/café.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["schema"], "qa.run/1");
  EXPECT_EQ(record["project"], "acme/copy");
  EXPECT_EQ(record["commit"], m_sha);
  EXPECT_EQ(record["branch"], "main");
  EXPECT_EQ(record["status"], "ok");
  EXPECT_EQ(record["exit_code"], 0);
  EXPECT_EQ(record["input"], "sub dir/café.txt");
  EXPECT_EQ(record["params"], json({{"level", 1}}));
  EXPECT_EQ(record["metrics"]["score"], 3);
  EXPECT_EQ(record["metrics"]["is_failed"], false);
  EXPECT_TRUE(record["metrics"]["compute_time"].is_number());
  EXPECT_GT(record["metrics"]["peak_rss_mb"].get<double>(), 0.0);
  EXPECT_EQ(record["badges"]["model"], "m1");
  EXPECT_GT(record["timing"]["peak_rss_kb"].get<long>(), 0);

  const fs::path stored = m_store / "acme/copy/commits" / m_sha.substr(0, 2) / m_sha.substr(2) /
                          record["key"].get<std::string>() / "run.json";
  ASSERT_TRUE(fs::exists(stored));
  EXPECT_EQ(json::parse(read_text(stored)), record);
}

TEST_F(QaRun, ManifestMatchesXxhsumAndBlobsAreStoredReadOnly) {
  const auto result = run_tool("qa-run", {"--input", "b.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  const fs::path output_dir = record["output_dir"].get<std::string>();
  ASSERT_EQ(record["files"].size(), 3U) << record["files"];  // out.txt, const.bin, metrics.json
  for (const auto& [name, entry] : record["files"].items()) {
    const std::string hash = entry["xxh128"];
    EXPECT_EQ(hash, xxhsum(output_dir / name)) << name;
    EXPECT_EQ(entry["size"], fs::file_size(output_dir / name));
    const fs::path blob = m_store / "cas" / hash.substr(0, 2) / hash.substr(2);
    ASSERT_TRUE(fs::exists(blob)) << name;
    EXPECT_EQ(xxhsum(blob), hash);
    struct stat st {};
    ASSERT_EQ(::stat(blob.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0444U) << name;
  }
  EXPECT_FALSE(record["files"].contains("qa-run.log"));
  EXPECT_FALSE(record["files"].contains(".qa-output"));
  EXPECT_NE(read_text(record["log"]["path"].get<std::string>()).find("ran default  1\n"),
            std::string::npos);
}

TEST_F(QaRun, IdenticalOutputsOfTwoCommitsAreStoredOnce) {
  const auto first = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  const std::size_t blobs_after_first = blob_count();
  write_text(m_project / "README", "a change that does not change the outputs\n");
  const std::string second_sha = m_repo->commit_all("second");
  const auto second = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  EXPECT_EQ(second["commit"], second_sha);
  EXPECT_EQ(first["files"], second["files"]);
  // The outputs are shared; only the log (it names nothing new but its timing) may differ.
  EXPECT_LE(blob_count(), blobs_after_first + 1);
  std::set<std::string> hashes;
  for (const auto& record : {first, second}) {
    for (const auto& [name, entry] : record["files"].items()) {
      hashes.insert(entry["xxh128"].get<std::string>());
    }
  }
  EXPECT_EQ(hashes.size(), 3U);
}

TEST_F(QaRun, DirtyTreeGetsADirtyCommitKey) {
  write_text(m_project / "data" / "b.txt", "changed\n");
  const auto record = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  EXPECT_EQ(record["commit"], m_sha + "-dirty");
}

TEST_F(QaRun, UntrackedFilesDoNotMakeTheTreeDirty) {
  write_text(m_project / "data" / "new.txt", "new\n");
  const auto record = single_record(run_tool("qa-run", {"--input", "new.txt"}));
  EXPECT_EQ(record["commit"], m_sha);
}

TEST_F(QaRun, DetachedHeadHasNoBranch) {
  m_repo->git("checkout -q --detach HEAD");
  const auto record = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  EXPECT_EQ(record["commit"], m_sha);
  EXPECT_TRUE(record["branch"].is_null());
}

TEST_F(QaRun, CiVariablesOverrideCommitAndBranch) {
  m_repo->git("checkout -q --detach HEAD");
  const std::string ci_sha(40, 'a');
  const auto gitlab = single_record(run_tool(
      "qa-run", {"--input", "b.txt"}, {{"CI_COMMIT_SHA", ci_sha}, {"CI_COMMIT_REF_NAME", "mr-7"}}));
  EXPECT_EQ(gitlab["commit"], ci_sha);
  EXPECT_EQ(gitlab["branch"], "mr-7");
  const auto github = single_record(run_tool(
      "qa-run", {"--input", "b.txt"},
      {{"GITHUB_SHA", m_sha}, {"GITHUB_HEAD_REF", "feature/x"}, {"GITHUB_REF_NAME", "7/merge"}}));
  EXPECT_EQ(github["branch"], "feature/x");
  const auto bad = run_tool("qa-run", {"--input", "b.txt"}, {{"CI_COMMIT_SHA", "not-a-sha"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("\"not-a-sha\""), std::string::npos) << bad.err;
}

TEST_F(QaRun, OutsideGitIsAOneLineError) {
  const fs::path lone = m_tmp / "no git";
  write_text(lone / "qaboard.yaml", k_copy_config);
  write_text(lone / "data" / "b.txt", "b\n");
  const auto result = run_tool("qa-run", {"--input", "b.txt"}, {}, lone);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("qa-run: error: not a git repository: ")) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
}

TEST_F(QaRun, FailingCommandIsRecordedAsFailedWithItsLog) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: echo "about to fail" && echo partial > {output_dir}/partial.txt && exit 3
  postprocess: echo never > {output_dir}/post.txt
)");
  const auto result = run_tool("qa-run", {"--input", "b.txt"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "failed");
  EXPECT_EQ(record["exit_code"], 3);
  EXPECT_EQ(record["metrics"]["is_failed"], true);
  EXPECT_TRUE(record["files"].contains("partial.txt"));
  EXPECT_FALSE(record["files"].contains("post.txt")) << "postprocess must not run after a failure";
  const std::string log = read_text(record["log"]["path"].get<std::string>());
  EXPECT_NE(log.find("about to fail"), std::string::npos) << log;
  EXPECT_NE(result.err.find("qa-run.log"), std::string::npos) << result.err;
}

TEST_F(QaRun, FailingPostprocessFailsTheRun) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: "true"
  postprocess: exit 4
)");
  const auto result = run_tool("qa-run", {"--input", "b.txt"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(single_record(result)["exit_code"], 4);
}

TEST_F(QaRun, TimeoutKillsTheCommandAndItsChildren) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: sleep 60 & echo $! > {output_dir}/child.pid; sleep 60
  timeout: 0.5
)");
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_tool("qa-run", {"--input", "b.txt"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "timeout");
  EXPECT_LT(elapsed, std::chrono::seconds(20));
  const std::string pid = read_text(fs::path(record["output_dir"].get<std::string>()) / "child.pid");
  ASSERT_FALSE(pid.empty());
  // Gone, or a zombie waiting for a reaper: in no case still running.
  const std::string stat = read_text("/proc/" + pid.substr(0, pid.find('\n')) + "/stat");
  if (!stat.empty()) {
    const char state = stat[stat.rfind(')') + 2];
    EXPECT_TRUE(state == 'Z' || state == 'X') << stat;
  }
}

TEST_F(QaRun, DryRunPrintsTheExactCommandAndRunsNothing) {
  const auto result = run_tool("qa-run", {"--input", "sub dir/café.txt", "--dry-run",
                                          "--param", "level=6", "--", "--flag", "a b"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("cp '" + (m_project / "data/sub dir/café.txt").string() + "' "),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("echo ran default '' 6 &&"), std::string::npos) << result.out;
  EXPECT_TRUE(result.out.ends_with(" --flag 'a b'\n")) << result.out;
  EXPECT_FALSE(fs::exists(m_store));
  EXPECT_FALSE(fs::exists(m_project / "output"));
}

TEST_F(QaRun, ExtraArgumentsConfigsAndParamsReachTheCommand) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: printf '%s|' {configs} {params.level} {label} "$QA_CONFIGS" "$QA_PARAMS" "$QA_REL_INPUT_PATH" > {output_dir}/args.txt; printf '%s|' "$@" >> {output_dir}/args.txt
)");
  const auto result = run_tool("qa-run", {"--input", "b.txt", "--label", "nightly", "--config",
                                          "base", "--config", "{level: 2}", "--param",
                                          "level=7", "--", "x y"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["key"], "nightly/base+level=7/b.txt");
  EXPECT_EQ(record["configs"], json::parse(R"(["base", {"level": 2}])"));
  EXPECT_EQ(read_text(fs::path(record["output_dir"].get<std::string>()) / "args.txt"),
            R"(base|7|nightly|base|{"level":7}|b.txt|x y|)");
}

TEST_F(QaRun, ParamMapsMergeAsAssignmentsDo) {
  const auto map = run_tool(
      "qa-run", {"--input", "b.txt", "--param", "{level: 2, sub: {a: 1}}", "--param", "sub.b=x"});
  ASSERT_EQ(map.exit_code, 0) << map.err;
  const auto assignments = run_tool("qa-run", {"--input", "b.txt", "--param", "level=2", "--param",
                                               "sub.a=1", "--param", "sub.b=x"});
  ASSERT_EQ(assignments.exit_code, 0) << assignments.err;
  EXPECT_EQ(single_record(map)["key"], single_record(assignments)["key"]);
  EXPECT_EQ(single_record(map)["params"],
            json::parse(R"({"level": 2, "sub": {"a": 1, "b": "x"}})"));
  const auto bad = run_tool("qa-run", {"--input", "b.txt", "--param", "{level: [1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("invalid --param"), std::string::npos) << bad.err;
}

TEST_F(QaRun, OutputFolderIsEmptiedUnlessKeepPrevious) {
  const auto first = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  const fs::path output_dir = first["output_dir"].get<std::string>();
  write_text(output_dir / "stale.txt", "old\n");
  const auto kept = single_record(run_tool("qa-run", {"--input", "b.txt", "--keep-previous"}));
  EXPECT_TRUE(kept["files"].contains("stale.txt"));
  const auto emptied = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  EXPECT_FALSE(emptied["files"].contains("stale.txt"));
  EXPECT_FALSE(fs::exists(output_dir / "stale.txt"));
}

TEST_F(QaRun, KeepPreviousNeverLetsAProgramRewriteAStoredBlob) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: echo more >> {output_dir}/grow.txt
)");
  const auto first = single_record(run_tool("qa-run", {"--input", "b.txt"}));
  const std::string hash = first["files"]["grow.txt"]["xxh128"];
  const fs::path blob = m_store / "cas" / hash.substr(0, 2) / hash.substr(2);
  const auto second = single_record(run_tool("qa-run", {"--input", "b.txt", "--keep-previous"}));
  EXPECT_NE(second["files"]["grow.txt"]["xxh128"], hash);
  EXPECT_EQ(read_text(blob), "more\n");
  EXPECT_EQ(xxhsum(blob), hash);
}

TEST_F(QaRun, RefusesToEmptyAFolderItDidNotMake) {
  const fs::path precious = m_tmp / "precious";
  write_text(precious / "thesis.tex", "years of work\n");
  const auto result =
      run_tool("qa-run", {"--input", "b.txt", "--output-dir", precious.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("refusing to empty"), std::string::npos) << result.err;
  EXPECT_EQ(read_text(precious / "thesis.tex"), "years of work\n");
}

TEST_F(QaRun, OutputRootFromEnvironment) {
  const fs::path root = m_tmp / "outputs";
  const auto record =
      single_record(run_tool("qa-run", {"--input", "b.txt"}, {{"QA_OUTPUT_ROOT", root.string()}}));
  EXPECT_EQ(record["output_dir"], (root / record["key"].get<std::string>()).string());
}

TEST_F(QaRun, StoreFlagOverridesEnvironmentWhichOverridesConfig) {
  const fs::path from_config = m_tmp / "config-store";
  const fs::path from_flag = m_tmp / "flag-store";
  write_config(std::string(k_copy_config) + "storage: " + from_config.string() + "\n");
  ASSERT_EQ(run_tool("qa-run", {"--input", "b.txt"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(m_store / "acme"));  // QA_STORE beats storage:
  EXPECT_FALSE(fs::exists(from_config / "acme"));
  ASSERT_EQ(run_tool("qa-run", {"--input", "b.txt", "--store", from_flag.string()}).exit_code, 0);
  EXPECT_TRUE(fs::exists(from_flag / "acme"));
}

TEST_F(QaRun, DefaultStoreIsInTheUserCache) {
  std::vector<std::string> argv{tool_path("qa-run").string(), "--input", "b.txt"};
  const auto result = run_process(argv, m_project, clean_environment(m_home));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(m_home / ".cache/qatools/acme/copy/commits"));
  const auto xdg = run_process(argv, m_project,
                               clean_environment(m_home, {{"XDG_CACHE_HOME", (m_tmp / "xdg").string()}}));
  ASSERT_EQ(xdg.exit_code, 0) << xdg.err;
  EXPECT_TRUE(fs::exists(m_tmp / "xdg/qatools/acme/copy/commits"));
}

TEST_F(QaRun, WorksFromASubfolderOfTheProject) {
  const auto result = run_tool("qa-run", {"--input", "b.txt"}, {}, m_project / "data" / "sub dir");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(QaRun, TwoProcessesWritingTheSameStoreLoseNothing) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: for i in $(seq 1 150); do echo "same $i" > {output_dir}/f$i.txt; done; echo {label} > {output_dir}/label.txt
)");
  const std::string qa_run = tool_path("qa-run").string();
  std::string script;
  for (int i = 0; i < 4; ++i) {
    script += "'" + qa_run + "' --input b.txt --label l" + std::to_string(i) + " > out" +
              std::to_string(i) + ".json 2>/dev/null & ";
  }
  script += "wait";
  const auto result = run_process({"/bin/sh", "-c", script}, m_project,
                                  clean_environment(m_home, {{"QA_STORE", m_store.string()}}));
  ASSERT_EQ(result.exit_code, 0);
  for (int i = 0; i < 4; ++i) {
    const json record = json::parse(read_text(m_project / ("out" + std::to_string(i) + ".json")));
    ASSERT_EQ(record["status"], "ok");
    EXPECT_EQ(record["files"].size(), 151U);
    for (const auto& [name, entry] : record["files"].items()) {
      const std::string hash = entry["xxh128"];
      const fs::path blob = m_store / "cas" / hash.substr(0, 2) / hash.substr(2);
      ASSERT_TRUE(fs::exists(blob)) << name;
      EXPECT_EQ(xxhsum(blob), hash) << name;
    }
  }
  // 150 shared outputs + 4 label files + 4 logs at most; no temporary file left behind.
  EXPECT_LE(blob_count(), 158U);
  for (const auto& entry : fs::recursive_directory_iterator(m_store)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".tmp.")) << entry.path();
  }
}

// Bad input: each is exit 2 with a one-line message naming the culprit.
class QaRunBadInput : public QaRun {
 protected:
  void expect_error(const ProcessResult& result, const std::vector<std::string>& fragments) {
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(result.err.starts_with("qa-run: error: ")) << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
    for (const auto& fragment : fragments) {
      EXPECT_NE(result.err.find(fragment), std::string::npos)
          << "\"" << fragment << "\" not in: " << result.err;
    }
  }
};

TEST_F(QaRunBadInput, MalformedYamlShowsTheLine) {
  write_config("project:\n  name: acme/copy\ninputs: [unclosed\n");
  expect_error(run_tool("qa-run", {"--input", "b.txt"}), {"qaboard.yaml", "line 4"});
}

TEST_F(QaRunBadInput, UnknownKeyShowsASuggestion) {
  write_config("project: {name: acme/copy}\ninputs:\n  database: data\n  batchs: x.yaml\n");
  expect_error(run_tool("qa-run", {"--input", "b.txt"}),
               {"qaboard.yaml", "line 4", "\"inputs.batchs\"", "did you mean \"batches\""});
}

TEST_F(QaRunBadInput, MissingInputNamesItAndTheDatabase) {
  expect_error(run_tool("qa-run", {"--input", "nope.txt"}),
               {"\"nope.txt\"", (m_project / "data").string()});
}

TEST_F(QaRunBadInput, InputOutsideTheDatabaseIsRefused) {
  expect_error(run_tool("qa-run", {"--input", "../qaboard.yaml"}), {"not inside the database"});
}

TEST_F(QaRunBadInput, UnusableStoreNamesIt) {
  write_text(m_tmp / "a file", "x");
  expect_error(run_tool("qa-run", {"--input", "b.txt", "--store", (m_tmp / "a file").string()}),
               {"cannot use store", "a file"});
}

TEST_F(QaRunBadInput, MetricsThatAreNotAnObjectNameTheFile) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: echo '[1, 2]' > {output_dir}/metrics.json
)");
  expect_error(run_tool("qa-run", {"--input", "b.txt"}), {"metrics.json", "JSON object"});
}

TEST_F(QaRunBadInput, UnknownParameterPlaceholderIsNamed) {
  write_config(R"(project: {name: acme/copy}
inputs: {database: data}
run:
  command: echo {params.levle}
  params: {level: 1}
)");
  expect_error(run_tool("qa-run", {"--input", "b.txt"}),
               {"{params.levle}", "did you mean \"level\"", "--param levle="});
}

TEST_F(QaRunBadInput, BadParamAndLabelAreUsageErrors) {
  expect_error(run_tool("qa-run", {"--input", "b.txt", "--param", "novalue"}), {"\"novalue\""});
  expect_error(run_tool("qa-run", {"--input", "b.txt", "--label", "a/b"}), {"\"a/b\""});
}

TEST_F(QaRunBadInput, MissingConfigFileSaysWhereItLooked) {
  const fs::path elsewhere = m_tmp / "elsewhere";
  fs::create_directories(elsewhere);
  expect_error(run_tool("qa-run", {"--input", "b.txt"}, {}, elsewhere),
               {"no qaboard.yaml found", "elsewhere"});
}

TEST_F(QaRunBadInput, MissingInputOptionIsAUsageError) {
  expect_error(run_tool("qa-run", {}), {"--input"});
}

}  // namespace
}  // namespace qa::test
