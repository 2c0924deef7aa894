#include <qa/runner/slurm_jobs.hpp>

#include <gtest/gtest.h>

namespace qa::runner {
namespace {

TEST(SlurmJobsTest, SbatchArgumentsCarryTheArrayAndTheOptionsThatAreSet) {
  ArraySubmission submission;
  submission.script = "/shared/out/.slurm/x/array-0/task.sh";
  submission.cwd = "/shared/my project";
  submission.log_dir = "/shared/out/.slurm/x/array-0";
  submission.tasks = 12;
  submission.job_name = "qa-batch";
  submission.options.partition = "gpu";
  submission.options.max_parallel = 4;
  submission.options.extra_args = {"--qos=low"};
  EXPECT_EQ(
      sbatch_arguments(submission),
      (std::vector<std::string>{
          "sbatch", "--parsable", "--array=0-11%4", "--job-name=qa-batch",
          "--chdir=/shared/my project", "--output=/shared/out/.slurm/x/array-0/slurm-%A_%a.log",
          "--partition=gpu", "--qos=low", "/shared/out/.slurm/x/array-0/task.sh"}));
  submission.tasks = 1;
  submission.options = {};
  submission.options.time = "30";
  submission.options.mem = "4G";
  submission.options.cpus_per_task = 2;
  submission.options.max_parallel = 0;  // no limit
  const auto args = sbatch_arguments(submission);
  EXPECT_EQ(args[2], "--array=0-0");
  EXPECT_EQ(std::vector<std::string>(args.begin() + 6, args.end() - 1),
            (std::vector<std::string>{"--time=30", "--mem=4G", "--cpus-per-task=2"}));
  EXPECT_EQ(task_log("/l", "17", 3), std::filesystem::path("/l/slurm-17_3.log"));
}

TEST(SlurmJobsTest, ParsesTheJobIdOfSbatch) {
  EXPECT_EQ(parse_sbatch_job_id("42\n").value(), "42");
  EXPECT_EQ(parse_sbatch_job_id("42;cluster2\n").value(), "42");
  EXPECT_EQ(parse_sbatch_job_id("sbatch: warning: x\n43\n").value(), "43");
  EXPECT_FALSE(parse_sbatch_job_id(""));
  EXPECT_FALSE(parse_sbatch_job_id("Submitted batch job 42\n"));
}

TEST(SlurmJobsTest, ParsesTheTasksOfScontrol) {
  const std::string output =
      "JobId=13 ArrayJobId=12 ArrayTaskId=1 JobName=qa-batch JobState=FAILED "
      "Reason=NonZeroExitCode "
      "ExitCode=2:0 StdOut=/a b/slurm-12_1.log\n"
      "JobId=12 ArrayJobId=12 ArrayTaskId=4-6%2 JobName=qa-batch JobState=PENDING ExitCode=0:0\n"
      "JobId=14 ArrayJobId=12 ArrayTaskId=0 JobName=qa-batch JobState=TIMEOUT ExitCode=0:15\n";
  const auto tasks = parse_scontrol_tasks(output);
  ASSERT_EQ(tasks.size(), 5U);
  EXPECT_EQ(tasks[0].task, 0U);
  EXPECT_EQ(tasks[0].state, "TIMEOUT");
  EXPECT_EQ(tasks[0].exit_code, "0:15");
  EXPECT_EQ(tasks[1].task, 1U);
  EXPECT_EQ(tasks[1].state, "FAILED");
  EXPECT_EQ(tasks[1].exit_code, "2:0");
  EXPECT_EQ(tasks[2].task, 4U);
  EXPECT_EQ(tasks[4].task, 6U);
  EXPECT_EQ(tasks[4].state, "PENDING");
  EXPECT_TRUE(parse_scontrol_tasks("slurm_load_jobs error: Invalid job id specified\n").empty());
}

TEST(SlurmJobsTest, TellsThisMachineFromOtherNodes) {
  const auto nodes =
      parse_sinfo_nodes("localhost 127.0.0.1 local*\nn1 10.0.0.1 gpu\nbuild7 build7 gpu\n");
  ASSERT_EQ(nodes.size(), 3U);
  EXPECT_EQ(nodes[0].partition, "local*");
  EXPECT_TRUE(is_this_machine(nodes[0], "ci-3"));
  EXPECT_FALSE(is_this_machine(nodes[1], "ci-3"));
  EXPECT_EQ(nodes[1].partition, "gpu");
  EXPECT_TRUE(is_this_machine(nodes[2], "build7"));
  EXPECT_FALSE(is_this_machine(nodes[2], "ci-3"));
}

}  // namespace
}  // namespace qa::runner
