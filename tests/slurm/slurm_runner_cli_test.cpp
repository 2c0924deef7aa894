// qa-batch --runner slurm against a real one-node Slurm cluster (tests/support/slurm_cluster.sh),
// started once for this program: job arrays, records read back from the store, failures,
// interrupts (SPEC section 7).
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "support/example_project.hpp"
#include "support/records.hpp"
#include "support/slurm_cluster.hpp"
#include "support/temp_dir.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SlurmRunner : public ToolTest {
 protected:
  static void SetUpTestSuite() {
    s_dir = std::make_unique<TempDir>();
    s_cluster = std::make_unique<SlurmCluster>(s_dir->path() / "slurm");
  }
  static void TearDownTestSuite() {
    s_cluster.reset();
    s_dir.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(s_cluster->running()) << "the Slurm cluster did not start:\n"
                                      << s_cluster->failure();
  }

  // A project of text inputs whose command copies its input and writes the Slurm variables it
  // sees to slurm.txt; an input named bad*.txt fails, slow*.txt sleeps a minute, die*.txt
  // kills the qa-batch of its Slurm task (as the OOM killer would: nothing is recorded).
  void write_script_project() {
    write_config(R"(project: {name: acme/slurm}
inputs: {database: data, globs: ['*.txt'], batches: batches.yaml}
run:
  command: sh {project_root}/run.sh {input_path} {output_dir}
)");
    write_text(m_project / "run.sh", R"sh(set -e
case "$(basename "$1")" in
  bad*) echo "cannot process $1" >&2; exit 3 ;;
  slow*) sleep 60 ;;
  die*) p=$PPID
        while [ "$(cat /proc/$p/comm)" != qa-batch ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done
        kill -9 "$p"; exit 9 ;;
esac
cp "$1" "$2/out.txt"
echo "${SLURM_ARRAY_JOB_ID:-none} ${SLURM_ARRAY_TASK_ID:-none}" > "$2/slurm.txt"
)sh");
    write_text(m_project / "batches.yaml", R"(good: {inputs: [a.txt, b.txt, c.txt, d.txt]}
one-bad: {inputs: [a.txt, bad.txt, c.txt]}
slow: {inputs: [slow1.txt, slow2.txt]}
one-dies: {inputs: [a.txt, die.txt, c.txt]}
rejected:
  inputs: [a.txt]
  slurm: {extra_args: [--no-such-sbatch-option]}
)");
    for (const char* name :
         {"a.txt", "b.txt", "c.txt", "d.txt", "bad.txt", "slow1.txt", "slow2.txt", "die.txt"}) {
      write_text(m_project / "data" / name, name);
    }
    write_text(m_project / ".gitignore", "output/\n");
    m_repo->commit_all("slurm project");
  }

  // Run qa-batch against the cluster with `args`.
  ProcessResult slurm_batch(std::vector<std::string> args,
                            std::map<std::string, std::string> env = {}) const {
    for (const auto& [name, value] : s_cluster->env()) {
      env.emplace(name, value);
    }
    return run_tool("qa-batch", args, env);
  }

  static std::unique_ptr<TempDir> s_dir;
  static std::unique_ptr<SlurmCluster> s_cluster;
};

std::unique_ptr<TempDir> SlurmRunner::s_dir;
std::unique_ptr<SlurmCluster> SlurmRunner::s_cluster;

std::map<std::string, json> by_key(const std::vector<json>& records) {
  std::map<std::string, json> out;
  for (const auto& record : records) {
    out[record.value("key", "")] = record;
  }
  return out;
}

TEST_F(SlurmRunner, RunsTheBatchAsAJobArrayAndStreamsEachRecord) {
  write_script_project();
  const auto result = slurm_batch({"good", "--runner", "slurm"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("submitted Slurm job array"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("4 runs: 4 ok, 0 failed"), std::string::npos) << result.err;
  const auto records = by_key(parse_json_lines(result.out));
  ASSERT_EQ(records.size(), 4U) << result.out;
  std::set<std::string> jobs;
  std::set<std::string> tasks;
  for (const auto& [key, record] : records) {
    EXPECT_EQ(record["status"], "ok") << key;
    EXPECT_TRUE(record["files"].contains("out.txt")) << key;
    // The commands ran under Slurm, as tasks of one array.
    const std::string seen =
        read_text(fs::path(record["output_dir"].get<std::string>()) / "slurm.txt");
    const auto space = seen.find(' ');
    ASSERT_NE(space, std::string::npos) << seen;
    EXPECT_NE(seen.substr(0, space), "none") << key;
    jobs.insert(seen.substr(0, space));
    tasks.insert(seen.substr(space + 1));
  }
  EXPECT_EQ(jobs.size(), 1U);
  EXPECT_EQ(tasks.size(), 4U);
  // The array has left the queue, and the branch index points to the commit.
  EXPECT_EQ(s_cluster->command("squeue -h"), "");
  const auto listed = parse_json_lines(run_tool("qa-get", {"runs"}).out);
  EXPECT_EQ(listed.size(), 4U);
}

TEST_F(SlurmRunner, AFailedInputExitsOneWithTheOthersRecorded) {
  write_script_project();
  const auto result = slurm_batch({"one-bad", "--runner", "slurm"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 3U) << result.out;
  std::map<std::string, int> statuses;
  for (const auto& record : records) {
    ++statuses[record["status"].get<std::string>()];
  }
  EXPECT_EQ(statuses["ok"], 2);
  EXPECT_EQ(statuses["failed"], 1);
  EXPECT_NE(result.err.find("3 runs: 2 ok, 1 failed"), std::string::npos) << result.err;
}

TEST_F(SlurmRunner, ATaskThatEndsWithoutRecordsIsNamedWithItsStateAndLog) {
  write_script_project();
  const auto result = slurm_batch({"one-dies", "--runner", "slurm"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(parse_json_lines(result.out).size(), 2U) << result.out;
  const auto warning = result.err.find("task 1 of Slurm job ");
  ASSERT_NE(warning, std::string::npos) << result.err;
  const std::string line = result.err.substr(warning, result.err.find('\n', warning) - warning);
  EXPECT_NE(line.find("(FAILED, exit code 0:9)"), std::string::npos) << line;
  EXPECT_NE(line.find("ended without recording 1 run: default/default/die.txt"), std::string::npos)
      << line;
  const auto log = line.find("its log: \"");
  ASSERT_NE(log, std::string::npos) << line;
  const std::string path = line.substr(log + 10, line.size() - log - 11);
  EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_NE(result.err.find("1 of 3 runs not recorded"), std::string::npos) << result.err;
  EXPECT_EQ(s_cluster->command("squeue -h"), "");
}

TEST_F(SlurmRunner, OnExistingSkipPassesStoredRecordsWithoutRunningThemAgain) {
  write_script_project();
  const auto first = slurm_batch({"good", "--runner", "slurm"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto again = slurm_batch({"good", "--runner", "slurm", "--on-existing", "skip"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("4 skipped"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("submitted"), std::string::npos) << "nothing left to run: " << again.err;
  EXPECT_EQ(by_key(parse_json_lines(again.out)).size(), 4U);
  // Without skip the runs are run again and only their new records are taken.
  const auto rerun = slurm_batch({"good", "--runner", "slurm"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto old_records = by_key(parse_json_lines(first.out));
  for (const auto& [key, record] : by_key(parse_json_lines(rerun.out))) {
    EXPECT_NE(record["started_at"].get<std::string>() + record.dump(),
              old_records.at(key)["started_at"].get<std::string>() + old_records.at(key).dump())
        << key;
  }
}

TEST_F(SlurmRunner, InterruptCancelsTheArrayAndLeavesNoJobQueued) {
  write_script_project();
  auto env = clean_environment(m_home, {{"QA_STORE", m_store.string()}});
  for (const auto& [name, value] : s_cluster->env()) {
    env[name] = value;
  }
  const std::vector<std::string> argv{tool_path("qa-batch").string(), "slow", "--runner", "slurm"};
  const int pid = spawn_process(argv, m_project, env, m_tmp / "out", m_tmp / "err");
  // Wait until the tasks run (their commands sleep).
  bool running = false;
  for (int i = 0; i < 300 && !running; ++i) {
    running = s_cluster->command("squeue -h -t RUNNING -o %i").find('_') != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(running) << read_text(m_tmp / "err");
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto code = wait_process(pid, 40'000);
  ASSERT_TRUE(code.has_value()) << "qa-batch did not stop: " << read_text(m_tmp / "err");
  EXPECT_EQ(*code, 130) << read_text(m_tmp / "err");
  EXPECT_NE(read_text(m_tmp / "err").find("cancelled Slurm job array"), std::string::npos)
      << read_text(m_tmp / "err");
  EXPECT_EQ(s_cluster->command("squeue -h"), "");
}

TEST_F(SlurmRunner, ARejectedSubmissionIsAClearErrorAndNothingRuns) {
  write_script_project();
  const auto result = slurm_batch({"rejected", "--runner", "slurm"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("qa-batch: error: Slurm refused the job array: sbatch:"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("no-such-sbatch-option"), std::string::npos) << result.err;
  EXPECT_EQ(s_cluster->command("squeue -h"), "");

  write_config(R"(project: {name: acme/slurm}
inputs: {database: data, globs: ['*.txt'], batches: batches.yaml}
run:
  command: sh {project_root}/run.sh {input_path} {output_dir}
runners: {default: slurm, slurm: {partition: nope}}
)");
  const auto partition = slurm_batch({"good"});
  EXPECT_EQ(partition.exit_code, 2) << partition.err;
  EXPECT_NE(partition.err.find("partition \"nope\""), std::string::npos) << partition.err;
}

TEST_F(SlurmRunner, WithoutSlurmCommandsNothingIsQueued) {
  write_script_project();
  const auto result =
      run_tool("qa-batch", {"good", "--runner", "slurm"},
               {{"PATH", "/nonexistent"}, {"SLURM_CONF", s_cluster->env().at("SLURM_CONF")}});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("\"sbatch\" not found on PATH"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

// A cluster whose nodes are other machines cannot read this machine's disk: the batch stops before
// anything is queued. (Slurm's commands are stand-ins here: sinfo names a remote node, sbatch
// records that it was called.)
TEST_F(SlurmRunner, ALocalStoreThatOtherNodesCannotReadIsRefusedBeforeQueuing) {
  write_script_project();
  const fs::path bin = m_tmp / "fake-slurm";
  write_text(
      bin / "sinfo",
      "#!/bin/sh\necho 'n1 10.0.0.1 cpu*'\necho 'n2 10.0.0.2 cpu*'\necho 'g1 10.0.1.1 gpu'\n");
  write_text(bin / "sbatch", "#!/bin/sh\ntouch \"$0.called\"\necho 12\n");
  for (const char* other : {"squeue", "scontrol", "scancel"}) {
    write_text(bin / other, "#!/bin/sh\nexit 0\n");
  }
  for (const auto& entry : fs::directory_iterator(bin)) {
    fs::permissions(entry.path(), fs::perms::owner_all);
  }
  const std::string path = bin.string() + ":/usr/bin:/bin";
  const auto result = run_tool("qa-batch", {"good", "--runner", "slurm"}, {{"PATH", path}});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("qa-batch: error: the store \"" + m_store.string() +
                            "\" is on this machine's local disk, which the nodes of the default "
                            "partition (n1, n2) cannot read"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("or an http(s):// or s3:// store (--store)"), std::string::npos);
  EXPECT_FALSE(fs::exists(bin / "sbatch.called"));
  // The same with a store the nodes reach: then the output folder is the one they cannot.
  const auto http = run_tool("qa-batch", {"good", "--runner", "slurm"},
                             {{"PATH", path}, {"QA_STORE", "http://127.0.0.1:9/store"}});
  EXPECT_EQ(http.exit_code, 2) << http.err;
  EXPECT_NE(http.err.find("the output folder"), std::string::npos) << http.err;
  EXPECT_FALSE(fs::exists(bin / "sbatch.called"));
}

#ifdef QA_EXAMPLES_BIN_DIR
// The example project (examples/denoise) on Slurm gives the records of a local run of the same
// commit: same runs, statuses, output hashes and metrics (but timings).
TEST_F(SlurmRunner, TheExampleProjectGivesTheRecordsOfALocalRun) {
  copy_example_project(m_project);
  m_repo->commit_all("example");

  const auto slurm = slurm_batch({"all", "sweep", "--runner", "slurm"});
  ASSERT_EQ(slurm.exit_code, 0) << slurm.err;
  const auto local =
      run_tool("qa-batch", {"all", "sweep"}, {{"QA_STORE", (m_tmp / "local-store").string()}});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const auto on_slurm = by_key(parse_json_lines(slurm.out));
  const auto on_this = by_key(parse_json_lines(local.out));
  ASSERT_EQ(on_slurm.size(), 10U);
  ASSERT_EQ(on_slurm.size(), on_this.size());
  for (const auto& [key, record] : on_this) {
    ASSERT_TRUE(on_slurm.contains(key)) << key;
    const json& other = on_slurm.at(key);
    for (const char* field : {"status", "files", "input", "configs", "params", "commit", "label"}) {
      EXPECT_EQ(other[field], record[field]) << key << " " << field;
    }
    json metrics = record["metrics"];
    json slurm_metrics = other["metrics"];
    for (const char* timing : {"compute_time", "peak_rss_mb"}) {
      metrics.erase(timing);
      slurm_metrics.erase(timing);
    }
    EXPECT_EQ(slurm_metrics, metrics) << key;
  }
}
#endif

}  // namespace
}  // namespace qa::test
