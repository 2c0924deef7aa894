// Several qa-batch at once, and qa-batch killed at random points: what CI meets when jobs share
// a checkout or a store, or are cancelled. Every record left names blobs that exist and hash
// right; a rerun with `--on-existing skip` completes what was killed.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "support/expect.hpp"
#include "support/store_check.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int k_inputs = 12;

// A batch of 12 inputs whose command writes its log and outputs in several steps, slowly
// enough for the runs of concurrent batches to overlap.
class ConcurrentBatches : public ToolTest {
 protected:
  ConcurrentBatches() {
    write_config(R"(project: {name: acme/concurrent}
inputs: {database: data, globs: ["*.txt"]}
run:
  command: >-
    echo start {rel_input_path}; cp {input_path} {output_dir}/out.txt; sleep 0.05;
    for i in 1 2 3 4 5; do echo "{rel_input_path} line $i" >> {output_dir}/lines.txt; done;
    echo done {rel_input_path}
)");
    for (int i = 0; i < k_inputs; ++i) {
      write_text(m_project / "data" / "all" / ("in" + std::to_string(10 + i) + ".txt"),
                 "input " + std::to_string(i) + "\n");
    }
    write_text(m_project / ".gitignore", "output/\n");
    m_sha = m_repo->commit_all("inputs");
  }

  // Start qa-batch `args` in `cwd` with the store `store`; return its pid. Its stdout and
  // stderr go to `<name>.out` and `<name>.err` in the test's folder.
  int start_batch(const std::string& name, const std::vector<std::string>& args,
                  const fs::path& cwd, const std::string& store) const {
    std::vector<std::string> argv{tool_path("qa-batch").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return spawn_process(argv, cwd, clean_environment(m_home, {{"QA_STORE", store}}),
                         m_tmp / (name + ".out"), m_tmp / (name + ".err"));
  }

  // Check that the log of every record at the commit is the log of its own run.
  void expect_own_logs(const fs::path& store) const {
    const fs::path commit_dir = store / "acme/concurrent/commits" / m_sha.substr(0, 2) /
                                m_sha.substr(2) / "default/default";
    std::size_t seen = 0;
    for (const auto& entry : fs::directory_iterator(commit_dir)) {
      const json record = json::parse(read_text(entry.path() / "run.json"));
      const std::string input = record["input"];
      const std::string hex = record["log"]["xxh128"];
      const std::string log = read_text(store / "cas" / hex.substr(0, 2) / hex.substr(2));
      // The command's own lines (the log also holds the command line, after "$ ").
      EXPECT_CONTAINS(log, "\nstart " + input + "\n");
      EXPECT_CONTAINS(log, "\ndone " + input + "\n");
      EXPECT_EQ(log.find("\nstart ", log.find("\nstart ") + 1), std::string::npos)
          << "two runs wrote one log:\n"
          << log;
      ++seen;
    }
    EXPECT_EQ(seen, static_cast<std::size_t>(k_inputs));
  }

  std::string m_sha;
};

TEST_F(ConcurrentBatches, FourBatchesInOneCheckoutAllSucceedWithIntactRecords) {
  std::vector<int> pids;
  for (int i = 0; i < 4; ++i) {
    pids.push_back(
        start_batch("batch" + std::to_string(i), {"all/", "-j", "3"}, m_project, m_store.string()));
  }
  for (int i = 0; i < 4; ++i) {
    const auto code = wait_process(pids[static_cast<std::size_t>(i)], 120000);
    ASSERT_TRUE(code.has_value()) << "batch " << i << " is still running";
    EXPECT_EQ(*code, 0) << read_text(m_tmp / ("batch" + std::to_string(i) + ".err"));
    std::istringstream lines(read_text(m_tmp / ("batch" + std::to_string(i) + ".out")));
    int records = 0;
    for (std::string line; std::getline(lines, line);) {
      const json record = json::parse(line, nullptr, false);
      ASSERT_TRUE(record.is_object()) << line;
      EXPECT_EQ(record["status"], "ok") << line;
      ++records;
    }
    EXPECT_EQ(records, k_inputs);
  }
  const auto check = check_store(m_store);
  EXPECT_EQ(check.records, static_cast<std::size_t>(k_inputs));
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
  expect_own_logs(m_store);
}

TEST_F(ConcurrentBatches, FourCheckoutsShareOneStore) {
  std::vector<fs::path> clones;
  for (int i = 0; i < 4; ++i) {
    clones.push_back(m_tmp / ("clone " + std::to_string(i)));
    sh("git clone -q '" + m_project.string() + "' '" + clones.back().string() + "'", m_tmp.path());
  }
  std::vector<int> pids;
  for (int i = 0; i < 4; ++i) {
    pids.push_back(start_batch("clone" + std::to_string(i), {"all/", "-j", "3"},
                               clones[static_cast<std::size_t>(i)], m_store.string()));
  }
  for (int i = 0; i < 4; ++i) {
    const auto code = wait_process(pids[static_cast<std::size_t>(i)], 120000);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << read_text(m_tmp / ("clone" + std::to_string(i) + ".err"));
  }
  const auto check = check_store(m_store);
  EXPECT_EQ(check.records, static_cast<std::size_t>(k_inputs));
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
  expect_own_logs(m_store);
  const auto branch = json::parse(read_text(m_store / "acme/concurrent/branches/main.json"));
  EXPECT_EQ(branch["commit"], m_sha);
}

TEST_F(ConcurrentBatches, KillNineAtRandomPointsLeavesOnlyCompleteRecords) {
  std::mt19937 random(std::random_device{}());
  for (int trial = 0; trial < 3; ++trial) {
    const std::string name = "trial" + std::to_string(trial);
    const int pid = start_batch(name, {"all/", "-j", "2"}, m_project, m_store.string());
    const int delay_ms = std::uniform_int_distribution<int>(0, 300)(random);
    // Once the batch has begun to store, after a random delay: a kill while blobs and records
    // are being written.
    for (int i = 0; i < 1000 && !fs::exists(m_store / "cas"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    ASSERT_TRUE(wait_process(pid, 10000).has_value());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // orphans, if any, would write
    const auto check = check_store(m_store);
    EXPECT_TRUE(check.problems.empty())
        << "killed after " << delay_ms << " ms: " << check.problems.front();
  }
  const auto rerun = run_tool("qa-batch", {"all/", "-j", "2", "--on-existing", "skip"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto check = check_store(m_store);
  EXPECT_EQ(check.records, static_cast<std::size_t>(k_inputs));
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
}

}  // namespace
}  // namespace qa::test
