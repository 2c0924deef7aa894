#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/core/slurm_options.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// One job array to submit: `tasks` tasks (0 to tasks-1) each running `script` in `cwd`, their
// output in task_log(log_dir, job, task).
struct ArraySubmission {
  std::filesystem::path script;
  std::filesystem::path cwd;
  std::filesystem::path log_dir;
  std::size_t tasks = 1;
  std::string job_name;
  core::SlurmOptions options;
  std::map<std::string, std::string> env;  // set for sbatch, which passes it to the tasks
};

// Return the log file of task `task` of the array `job` submitted with `log_dir`.
[[nodiscard]] std::filesystem::path task_log(const std::filesystem::path& log_dir,
                                             std::string_view job, std::size_t task);

// Return the arguments of `sbatch` for `submission`: --parsable, --array=0-(tasks-1)[%max],
// the job name, --chdir, --output, the options that are set, extra_args, then the script.
[[nodiscard]] std::vector<std::string> sbatch_arguments(const ArraySubmission& submission);

// Return the job id that `sbatch --parsable` printed (`12` or `12;cluster`).
[[nodiscard]] Expected<std::string> parse_sbatch_job_id(std::string_view output);

// One task of an array as `scontrol -o show job ID` describes it.
struct TaskState {
  std::size_t task = 0;
  std::string state;  // PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY...
  std::string exit_code;  // `status:signal`
};

// Return the tasks that `scontrol -o show job ID` printed (one line per task; a line of a
// pending range such as `ArrayTaskId=4-9` gives each task of the range).
[[nodiscard]] std::vector<TaskState> parse_scontrol_tasks(std::string_view output);

// A node of a partition, as `sinfo -h -N -o "%N %o %P"` prints it (name, address, partition;
// the default partition's name ends with `*`).
struct SlurmNode {
  std::string name;
  std::string address;
  std::string partition;
};

[[nodiscard]] std::vector<SlurmNode> parse_sinfo_nodes(std::string_view output);

// Whether `node` is this machine (`host` is its host name): a loopback address, or the name
// or address `host` or localhost.
[[nodiscard]] bool is_this_machine(const SlurmNode& node, std::string_view host);

// Runs Slurm's commands (sbatch, squeue, scontrol, scancel, sinfo; found on PATH, talking to
// the cluster that SLURM_CONF or the system says), their output captured in files of
// `scratch`.
class SlurmClient {
 public:
  explicit SlurmClient(std::filesystem::path scratch) : m_scratch(std::move(scratch)) {}

  // Fail, before anything is submitted, when sbatch, squeue, scontrol or scancel is not on PATH.
  [[nodiscard]] static Expected<void> check_installed();

  // Submit `submission` and return the job id; a rejection is an error quoting sbatch.
  [[nodiscard]] Expected<std::string> submit(const ArraySubmission& submission);

  // Return how many tasks of the array `job` are still pending or running.
  [[nodiscard]] Expected<std::size_t> queued_tasks(std::string_view job);

  // Return the tasks of `job` that the controller still knows (none once it forgot the job).
  [[nodiscard]] Expected<std::vector<TaskState>> task_states(std::string_view job);

  // Cancel the arrays `jobs`, every task of them.
  [[nodiscard]] Expected<void> cancel(const std::vector<std::string>& jobs);

  // Return the nodes of `partition` (of the default partition when empty).
  [[nodiscard]] Expected<std::vector<SlurmNode>> partition_nodes(std::string_view partition);

 private:
  struct Output {
    int exit_code = 0;
    std::string out;
    std::string err;  // the first lines of stderr, for messages
  };
  [[nodiscard]] Expected<Output> run(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env = {});

  std::filesystem::path m_scratch;
};

}  // namespace qa::runner
