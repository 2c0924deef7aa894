// qa-batch on real git repositories made by the tests (SPEC sections 3 and 5).
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/records.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::set<std::string> keys_of(const std::vector<json>& records) {
  std::set<std::string> keys;
  for (const auto& record : records) {
    keys.insert(record.value("key", ""));
  }
  return keys;
}

// A project of three inputs whose command appends its key to counter.txt and copies its input.
class QaBatch : public ToolTest {
 protected:
  QaBatch() {
    write_config(R"(project: {name: acme/batch}
inputs:
  database: data
  globs: ['*.txt']
  batches: batches.yaml
run:
  command: echo {rel_input_path} {configs} >> {project_root}/counter.txt; cp {input_path} {output_dir}/out.txt
)");
    write_text(m_project / "batches.yaml", R"(three-by-two:
  inputs: [a.txt, b.txt, c.txt]
  configs: [base]
  matrix:
    configs: [[fast], [slow]]
one-fails:
  inputs: [a.txt, fail.txt, c.txt]
empty-folder:
  inputs: [empty/]
cycle-a: {inputs: [a.txt]}
aliases:
  loop: [loop-b]
  loop-b: [loop]
)");
    for (const char* name : {"a.txt", "b.txt", "c.txt", "fail.txt"}) {
      write_text(m_project / "data" / name, name);
    }
    fs::create_directories(m_project / "data" / "empty");
    write_text(m_project / ".gitignore", "output/\ncounter.txt\n");
    m_sha = m_repo->commit_all("batch project");
  }

  std::string m_sha;
};

TEST_F(QaBatch, ListPrintsThePlanAndRunsNothing) {
  const auto result = run_tool("qa-batch", {"three-by-two", "--list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 6U);
  for (const auto& record : records) {
    EXPECT_EQ(record["status"], "planned");
    EXPECT_EQ(record["commit"], m_sha);
  }
  EXPECT_EQ(records[0]["key"], "default/base+fast/a.txt");
  EXPECT_EQ(records[1]["key"], "default/base+slow/a.txt");
  EXPECT_EQ(records[5]["key"], "default/base+slow/c.txt");
  EXPECT_FALSE(fs::exists(m_project / "counter.txt"));
  EXPECT_FALSE(fs::exists(m_store));
}

TEST_F(QaBatch, RecursiveOrDuplicatedYamlIsAClearErrorNotACrash) {
  const auto alias = run_tool("qa-batch", {"three-by-two", "--list", "--config", "{x: &a [*a]}"});
  EXPECT_EQ(alias.exit_code, 2) << alias.err;
  EXPECT_NE(alias.err.find("recursive alias"), std::string::npos) << alias.err;
  write_text(m_project / "batches.yaml", "dup: {inputs: [a.txt]}\ndup: {inputs: [b.txt]}\n");
  const auto duplicate = run_tool("qa-batch", {"dup", "--list"});
  EXPECT_EQ(duplicate.exit_code, 2) << duplicate.err;
  EXPECT_NE(duplicate.err.find("line 2: duplicate key \"dup\""), std::string::npos)
      << duplicate.err;
}

TEST_F(QaBatch, ZeroJobsIsAUsageErrorNamingTheRange) {
  const auto zero = run_tool("qa-batch", {"three-by-two", "-j", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("1 to 4096"), std::string::npos) << zero.err;
  EXPECT_EQ(zero.err.find("1.8e"), std::string::npos) << zero.err;
}

TEST_F(QaBatch, ThreeInputsTimesTwoConfigsStreamSixRecords) {
  const auto listed =
      keys_of(parse_json_lines(run_tool("qa-batch", {"three-by-two", "--list"}).out));
  const auto result = run_tool("qa-batch", {"three-by-two", "-j", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 6U);
  EXPECT_EQ(keys_of(records), listed);
  for (const auto& record : records) {
    EXPECT_EQ(record["schema"], "qa.run/1");
    EXPECT_EQ(record["status"], "ok");
    EXPECT_EQ(record["files"].size(), 1U);
    const std::string key = record["key"];
    EXPECT_TRUE(fs::exists(m_store / "acme/batch/commits" / m_sha.substr(0, 2) / m_sha.substr(2) /
                           key / "run.json"));
  }
  EXPECT_NE(result.err.find("6 runs: 6 ok"), std::string::npos) << result.err;
}

TEST_F(QaBatch, ShardsAreDisjointAndCoverThePlan) {
  const auto plan = parse_json_lines(run_tool("qa-batch", {"three-by-two", "--list"}).out);
  std::vector<std::string> keys;
  for (const auto& record : plan) {
    keys.push_back(record["key"]);
  }
  std::multiset<std::string> union_of_shards;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = std::to_string(i) + "/3";
    const auto flag =
        parse_json_lines(run_tool("qa-batch", {"three-by-two", "--list", "--shard", shard}).out);
    const auto gitlab = parse_json_lines(
        run_tool("qa-batch", {"three-by-two", "--list"},
                 {{"CI_NODE_INDEX", std::to_string(i + 1)}, {"CI_NODE_TOTAL", "3"}})
            .out);
    const auto slurm = parse_json_lines(
        run_tool("qa-batch", {"three-by-two", "--list"},
                 {{"SLURM_ARRAY_TASK_ID", std::to_string(i)}, {"SLURM_ARRAY_TASK_COUNT", "3"}})
            .out);
    ASSERT_EQ(flag.size(), 2U) << shard;
    EXPECT_EQ(flag[0]["key"], keys[static_cast<std::size_t>(i)]);
    EXPECT_EQ(flag[1]["key"], keys[static_cast<std::size_t>(i) + 3]);
    EXPECT_EQ(keys_of(gitlab), keys_of(flag)) << shard;
    EXPECT_EQ(keys_of(slurm), keys_of(flag)) << shard;
    for (const auto& record : flag) {
      union_of_shards.insert(record["key"].get<std::string>());
    }
  }
  EXPECT_EQ(union_of_shards, std::multiset<std::string>(keys.begin(), keys.end()));
}

TEST_F(QaBatch, AFailedRunDoesNotStopTheOthers) {
  write_config(R"(project: {name: acme/batch}
inputs: {database: data, batches: batches.yaml}
run:
  command: test {rel_input_path} != fail.txt && cp {input_path} {output_dir}/out.txt
)");
  const auto result = run_tool("qa-batch", {"one-fails", "-j", "1"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 3U);
  std::map<std::string, std::string> status;
  for (const auto& record : records) {
    status[record["input"]] = record["status"];
    if (record["input"] == "fail.txt") {
      EXPECT_TRUE(fs::exists(record["log"]["path"].get<std::string>()));
    }
  }
  EXPECT_EQ(status, (std::map<std::string, std::string>{
                        {"a.txt", "ok"}, {"c.txt", "ok"}, {"fail.txt", "failed"}}));
  const auto fail_fast = run_tool("qa-batch", {"one-fails", "-j", "1", "--fail-fast"});
  EXPECT_EQ(fail_fast.exit_code, 1);
  EXPECT_EQ(parse_json_lines(fail_fast.out).size(), 2U) << "no run starts after the failure";
}

TEST_F(QaBatch, BranchIndexFollowsACompleteSuccessfulBatch) {
  const fs::path index = m_store / "acme/batch/branches/main.json";
  ASSERT_EQ(run_tool("qa-batch", {"three-by-two", "--shard", "0/2"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(index)) << "half the plan is not a result for the branch";
  ASSERT_EQ(run_tool("qa-batch", {"three-by-two", "--shard", "1/2"}).exit_code, 0);
  ASSERT_TRUE(fs::exists(index));
  EXPECT_EQ(json::parse(read_text(index))["commit"], m_sha);

  write_text(m_project / "data" / "a.txt", "dirty");
  ASSERT_EQ(run_tool("qa-batch", {"three-by-two"}).exit_code, 0);
  EXPECT_EQ(json::parse(read_text(index))["commit"], m_sha) << "a dirty tree is no commit";
}

TEST_F(QaBatch, EmptyPlanWarnsUnlessAskedToFail) {
  const auto result = run_tool("qa-batch", {"empty-folder"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("the plan is empty"), std::string::npos) << result.err;
  EXPECT_EQ(run_tool("qa-batch", {"empty-folder", "--fail-if-empty"}).exit_code, 1);
}

TEST_F(QaBatch, InputsByPathAndGlobWithoutABatch) {
  const auto result = run_tool("qa-batch", {"a.txt", "[bc].txt", "--list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(keys_of(parse_json_lines(result.out)),
            (std::set<std::string>{"default/default/a.txt", "default/default/b.txt",
                                   "default/default/c.txt"}));
}

TEST_F(QaBatch, ArgumentsAfterDoubleDashReachEveryCommand) {
  write_config(R"(project: {name: acme/batch}
inputs: {database: data, globs: ['*.txt'], batches: batches.yaml}
run:
  command: printf >{output_dir}/args.txt '%s|' {rel_input_path}
)");
  m_repo->commit_all("args");
  const auto result = run_tool("qa-batch", {"a.txt", "b.txt", "--", "x y", "--flag"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 2U);
  for (const auto& record : records) {
    EXPECT_EQ(read_text(fs::path(record["output_dir"].get<std::string>()) / "args.txt"),
              record["input"].get<std::string>() + "|x y|--flag|");
  }
}

TEST_F(QaBatch, KillNineThenSkipFinishesTheBatchWithoutRerunningAnything) {
  std::string inputs;
  for (int i = 0; i < 50; ++i) {
    const std::string name = "in" + std::to_string(100 + i) + ".txt";
    write_text(m_project / "data" / "many" / name, name);
  }
  write_config(R"(project: {name: acme/batch}
inputs: {database: data, globs: ['*.txt']}
run:
  command: echo {rel_input_path} >> {project_root}/counter.txt; sleep 0.1; cp {input_path} {output_dir}/out.txt
)");
  m_sha = m_repo->commit_all("many inputs");
  const auto env = clean_environment(m_home, {{"QA_STORE", m_store.string()}});
  const std::vector<std::string> argv{tool_path("qa-batch").string(), "many/", "-j", "2"};
  const int pid = spawn_process(argv, m_project, env, m_tmp / "first.out", m_tmp / "first.err");
  const fs::path commit_dir =
      m_store / "acme/batch/commits" / m_sha.substr(0, 2) / m_sha.substr(2) / "default/default";
  auto recorded = [&] {
    std::size_t count = 0;
    if (fs::exists(commit_dir)) {
      for (const auto& entry : fs::directory_iterator(commit_dir)) {
        count += fs::exists(entry.path() / "run.json") ? 1U : 0U;
      }
    }
    return count;
  };
  for (int i = 0; i < 500 && recorded() < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_EQ(wait_process(pid, 5000), 128 + SIGKILL);
  const std::size_t before = recorded();
  ASSERT_GE(before, 10U);
  ASSERT_LT(before, 50U) << "the batch finished before it could be killed";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // orphans, if any, would write

  // Every record left is complete, and names blobs that exist.
  std::set<std::string> done_before;
  for (const auto& entry : fs::directory_iterator(commit_dir)) {
    if (!fs::exists(entry.path() / "run.json")) {
      continue;
    }
    const json record = json::parse(read_text(entry.path() / "run.json"), nullptr, false);
    ASSERT_TRUE(record.is_object()) << entry.path();
    done_before.insert(record["input"].get<std::string>());
    for (const auto& [name, file] : record["files"].items()) {
      const std::string hash = file["xxh128"];
      EXPECT_TRUE(fs::exists(m_store / "cas" / hash.substr(0, 2) / hash.substr(2)));
    }
  }

  const auto rerun = run_tool("qa-batch", {"many/", "-j", "2", "--on-existing", "skip"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto records = parse_json_lines(rerun.out);
  ASSERT_EQ(records.size(), 50U);
  for (const auto& record : records) {
    EXPECT_EQ(record["status"], "ok");
  }
  EXPECT_EQ(recorded(), 50U);
  std::map<std::string, int> runs_per_input;
  std::istringstream counter(read_text(m_project / "counter.txt"));
  for (std::string line; std::getline(counter, line);) {
    ++runs_per_input[line];
  }
  for (const auto& input : done_before) {
    EXPECT_EQ(runs_per_input[input], 1) << input << " was run again";
  }
  EXPECT_NE(rerun.err.find(std::to_string(before) + " skipped"), std::string::npos) << rerun.err;
}

TEST_F(QaBatch, SigintStopsEveryChildAndExits130) {
  write_config(R"(project: {name: acme/batch}
inputs: {database: data, batches: batches.yaml}
run:
  command: echo $$ >> {project_root}/pids.txt; sleep 30 & echo $! >> {project_root}/pids.txt; wait
)");
  const auto env = clean_environment(m_home, {{"QA_STORE", m_store.string()}});
  const std::vector<std::string> argv{tool_path("qa-batch").string(), "three-by-two", "-j", "2"};
  const int pid = spawn_process(argv, m_project, env, m_tmp / "out", m_tmp / "err");
  for (int i = 0; i < 500; ++i) {
    std::istringstream pids(read_text(m_project / "pids.txt"));
    std::string line;
    int count = 0;
    while (std::getline(pids, line)) {
      ++count;
    }
    if (count >= 4) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto code = wait_process(pid, 5000);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(code.has_value()) << "qa-batch did not stop";
  EXPECT_EQ(*code, 130) << read_text(m_tmp / "err");
  EXPECT_LT(elapsed, std::chrono::seconds(10)) << "the children sleep 30 s: they were stopped";
  std::istringstream pids(read_text(m_project / "pids.txt"));
  for (std::string child; std::getline(pids, child);) {
    const std::string stat = read_text("/proc/" + child + "/stat");
    if (!stat.empty()) {
      const char state = stat[stat.rfind(')') + 2];
      EXPECT_TRUE(state == 'Z' || state == 'X') << "process " << child << " still running";
    }
  }
  EXPECT_EQ(read_text(m_tmp / "out"), "") << "no record for an interrupted run";
}

class QaBatchBadInput : public QaBatch {
 protected:
  void expect_error(const ProcessResult& result, const std::vector<std::string>& fragments) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(result.err.starts_with("qa-batch: error: ")) << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
    for (const auto& fragment : fragments) {
      EXPECT_NE(result.err.find(fragment), std::string::npos)
          << "\"" << fragment << "\" not in: " << result.err;
    }
  }
};

TEST_F(QaBatchBadInput, UnknownBatchSuggestsTheClosest) {
  expect_error(run_tool("qa-batch", {"three-by-tow"}),
               {"unknown batch \"three-by-tow\"", "did you mean \"three-by-two\"", "batches.yaml"});
}

TEST_F(QaBatchBadInput, AliasCycleIsNamed) {
  expect_error(run_tool("qa-batch", {"loop"}), {"batches.yaml", "line", "loop -> loop-b -> loop"});
}

TEST_F(QaBatchBadInput, UndefinedMatrixVariableNamesFileLineAndBatch) {
  write_text(m_project / "batches.yaml", R"(sweep:
  inputs: [a.txt]
  configs: [{level: "${matrix.levle}"}]
  matrix:
    level: [1, 2]
)");
  expect_error(run_tool("qa-batch", {"sweep"}),
               {"batches.yaml", "line 3", "batch \"sweep\"", "\"levle\""});
}

TEST_F(QaBatchBadInput, MalformedTuningJson) {
  expect_error(run_tool("qa-batch", {"three-by-two", "--tuning-search", "{\"parameter_search\": "}),
               {"tuning search"});
}

TEST_F(QaBatchBadInput, ShardOutOfRange) {
  expect_error(run_tool("qa-batch", {"three-by-two", "--shard", "3/3"}), {"\"3/3\""});
  expect_error(
      run_tool("qa-batch", {"three-by-two"}, {{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}}),
      {"CI_NODE_INDEX"});
}

TEST_F(QaBatchBadInput, MissingInputOfABatchNamesFileLineAndBatch) {
  write_text(m_project / "batches.yaml", "broken:\n  inputs:\n    - a.txt\n    - missing.txt\n");
  expect_error(run_tool("qa-batch", {"broken"}),
               {"batches.yaml", "line 4", "batch \"broken\"", "\"missing.txt\""});
}

}  // namespace
}  // namespace qa::test
