#include <qa/runner/slurm_jobs.hpp>

#include <algorithm>
#include <charconv>

#include <unistd.h>

#include <fmt/core.h>

#include <qa/util/env.hpp>
#include <qa/util/file.hpp>
#include <qa/util/shell.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/subprocess.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

std::optional<std::size_t> parse_index(std::string_view text) {
  std::size_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) {
      lines.push_back(line);
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The value of ` KEY=` in a `scontrol -o` line, up to the next space.
std::string_view field(std::string_view line, std::string_view key) {
  const std::string needle = std::string(key) + "=";
  std::size_t at = 0;
  while ((at = line.find(needle, at)) != std::string_view::npos) {
    if (at == 0 || line[at - 1] == ' ') {
      const std::size_t begin = at + needle.size();
      const std::size_t end = line.find(' ', begin);
      return line.substr(begin, end == std::string_view::npos ? line.size() - begin : end - begin);
    }
    at += needle.size();
  }
  return {};
}

// Add the tasks of `ids` (`3`, `4-9`, `4-9%2`, `1,3,5-7`) to `out` with `state`.
void add_tasks(std::string_view ids, const TaskState& state, std::vector<TaskState>& out) {
  ids = ids.substr(0, ids.find('%'));
  for (const auto& part : util::split(ids, ',')) {
    const auto dash = part.find('-');
    const auto first = parse_index(part.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_index(part.substr(dash + 1));
    if (!first || !last || *last < *first || *last - *first > 1'000'000) {
      continue;
    }
    for (std::size_t task = *first; task <= *last; ++task) {
      TaskState one = state;
      one.task = task;
      out.push_back(std::move(one));
    }
  }
}

bool on_path(std::string_view program) {
  const auto path = util::env_value("PATH");
  for (const auto& dir : util::split(path.value_or("/usr/local/bin:/usr/bin:/bin"), ':')) {
    std::error_code ec;
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

fs::path task_log(const fs::path& log_dir, std::string_view job, std::size_t task) {
  return log_dir / fmt::format("slurm-{}_{}.log", job, task);
}

std::vector<std::string> sbatch_arguments(const ArraySubmission& submission) {
  const core::SlurmOptions& options = submission.options;
  std::string array = fmt::format("--array=0-{}", submission.tasks == 0 ? 0 : submission.tasks - 1);
  if (options.max_parallel && *options.max_parallel > 0) {
    array += fmt::format("%{}", *options.max_parallel);
  }
  std::vector<std::string> args{"sbatch",
                                "--parsable",
                                array,
                                "--job-name=" + submission.job_name,
                                "--chdir=" + submission.cwd.string(),
                                "--output=" + (submission.log_dir / "slurm-%A_%a.log").string()};
  if (options.partition) {
    args.push_back("--partition=" + *options.partition);
  }
  if (options.time) {
    args.push_back("--time=" + *options.time);
  }
  if (options.mem) {
    args.push_back("--mem=" + *options.mem);
  }
  if (options.cpus_per_task) {
    args.push_back(fmt::format("--cpus-per-task={}", *options.cpus_per_task));
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  args.push_back(submission.script.string());
  return args;
}

Expected<std::string> parse_sbatch_job_id(std::string_view output) {
  const auto lines = lines_of(output);
  const std::string_view last = lines.empty() ? std::string_view() : lines.back();
  const std::string_view id = last.substr(0, last.find(';'));
  if (!parse_index(id)) {
    return fail_as(ErrorKind::environment, "sbatch did not print a job id but {}",
                   quote(output.substr(0, 200)));
  }
  return std::string(id);
}

std::vector<TaskState> parse_scontrol_tasks(std::string_view output) {
  std::vector<TaskState> tasks;
  for (const auto line : lines_of(output)) {
    const std::string_view ids = field(line, "ArrayTaskId");
    if (ids.empty()) {
      continue;
    }
    TaskState state;
    state.state = std::string(field(line, "JobState"));
    state.exit_code = std::string(field(line, "ExitCode"));
    add_tasks(ids, state, tasks);
  }
  std::sort(tasks.begin(), tasks.end(),
            [](const TaskState& a, const TaskState& b) { return a.task < b.task; });
  return tasks;
}

std::vector<SlurmNode> parse_sinfo_nodes(std::string_view output) {
  std::vector<SlurmNode> nodes;
  for (const auto line : lines_of(output)) {
    const auto fields = util::split(line, ' ');
    SlurmNode node;
    node.name = fields[0];
    node.address = fields.size() > 1 && !fields[1].empty() ? fields[1] : fields[0];
    node.partition = fields.size() > 2 ? fields[2] : std::string();
    nodes.push_back(std::move(node));
  }
  return nodes;
}

bool is_this_machine(const SlurmNode& node, std::string_view host) {
  for (const std::string& name : {node.address, node.name}) {
    if (name == "localhost" || name == host || name.starts_with("127.") || name == "::1") {
      return true;
    }
  }
  return false;
}

Expected<void> SlurmClient::check_installed() {
  for (const char* program : {"sbatch", "squeue", "scontrol", "scancel", "sinfo"}) {
    if (!on_path(program)) {
      return fail_as(ErrorKind::environment,
                     "{} not found on PATH: --runner slurm needs Slurm's client commands "
                     "(Debian: apt-get install slurm-client) on this machine",
                     quote(program));
    }
  }
  return {};
}

Expected<SlurmClient::Output> SlurmClient::run(const std::vector<std::string>& argv,
                                               const std::map<std::string, std::string>& env) {
  const fs::path out_file = m_scratch / "slurm-command.out";
  const fs::path err_file = m_scratch / "slurm-command.err";
  std::error_code ec;
  fs::remove(out_file, ec);
  std::string command;
  for (const auto& arg : argv) {
    command += util::shell_quote(arg) + " ";
  }
  command += "2>" + util::shell_quote(err_file.string());
  util::ShellCommand shell;
  shell.command = command;
  shell.cwd = m_scratch;
  shell.log_file = out_file;
  shell.env = env;
  shell.timeout = std::chrono::seconds(120);
  QA_TRY_ASSIGN(const auto result, util::run_shell(shell));
  if (result.kind == util::ExitKind::interrupted) {
    return fail_as(ErrorKind::interrupted, "interrupted");
  }
  Output output;
  output.exit_code = result.succeeded() ? 0 : (result.exit_code == 0 ? 1 : result.exit_code);
  output.out = util::read_file(out_file).value_or("");
  const std::string err = util::read_file(err_file).value_or("");
  const auto err_lines = lines_of(err);
  // Slurm's message, without the hints that follow it (`Try "sbatch --help" ...`).
  std::vector<std::string> said;
  for (const auto line : err_lines) {
    if (!line.starts_with("Try \"") && said.size() < 3) {
      said.emplace_back(line);
    }
  }
  output.err = util::join(said, "; ");
  if (result.kind == util::ExitKind::timed_out) {
    output.err = fmt::format("{} did not answer in 120 s", argv.front());
  }
  return output;
}

Expected<std::string> SlurmClient::submit(const ArraySubmission& submission) {
  QA_TRY_ASSIGN(const auto output, run(sbatch_arguments(submission), submission.env));
  if (output.exit_code != 0) {
    return fail_as(
        ErrorKind::environment, "Slurm refused the job array: {}",
        output.err.empty() ? fmt::format("sbatch exited with {}", output.exit_code) : output.err);
  }
  return parse_sbatch_job_id(output.out);
}

Expected<std::size_t> SlurmClient::queued_tasks(std::string_view job) {
  QA_TRY_ASSIGN(const auto output, run({"squeue", "--noheader", "--array", "--format=%i %T",
                                        "--jobs=" + std::string(job)}));
  if (output.exit_code != 0) {
    // A job the controller forgot (MinJobAge passed) is not queued any more.
    if (output.err.find("Invalid job id") != std::string::npos) {
      return std::size_t{0};
    }
    return fail_as(ErrorKind::environment, "squeue failed for job {}: {}", job, output.err);
  }
  return lines_of(output.out).size();
}

Expected<std::vector<TaskState>> SlurmClient::task_states(std::string_view job) {
  QA_TRY_ASSIGN(const auto output,
                run({"scontrol", "--oneliner", "show", "job", std::string(job)}));
  if (output.exit_code != 0) {
    return std::vector<TaskState>{};
  }
  return parse_scontrol_tasks(output.out);
}

Expected<void> SlurmClient::cancel(const std::vector<std::string>& jobs) {
  std::vector<std::string> argv{"scancel"};
  argv.insert(argv.end(), jobs.begin(), jobs.end());
  QA_TRY_ASSIGN(const auto output, run(argv));
  if (output.exit_code != 0) {
    return fail_as(ErrorKind::environment, "scancel {} failed: {}", util::join(jobs, " "),
                   output.err);
  }
  return {};
}

Expected<std::vector<SlurmNode>> SlurmClient::partition_nodes(std::string_view partition) {
  std::vector<std::string> argv{"sinfo", "--noheader", "--Node", "--format=%N %o %P"};
  if (!partition.empty()) {
    argv.push_back("--partition=" + std::string(partition));
  }
  QA_TRY_ASSIGN(const auto output, run(argv));
  if (output.exit_code != 0) {
    return fail_as(ErrorKind::environment, "cannot ask Slurm for the nodes{}: {}",
                   partition.empty() ? "" : fmt::format(" of partition {}", quote(partition)),
                   output.err);
  }
  auto nodes = parse_sinfo_nodes(output.out);
  if (partition.empty()) {
    std::erase_if(nodes, [](const SlurmNode& node) { return !node.partition.ends_with('*'); });
  }
  return nodes;  // one line per node: one partition is listed
}

}  // namespace qa::runner
