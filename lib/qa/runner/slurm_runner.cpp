#include <qa/runner/slurm_runner.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include <fmt/core.h>

#include <qa/core/run_record_writer.hpp>
#include <qa/runner/plan_file.hpp>
#include <qa/runner/progress.hpp>
#include <qa/runner/slurm_jobs.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>
#include <qa/util/shell.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/time.hpp>

namespace qa::runner {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

// Slurm's default MaxArraySize is 1001 (indices 0 to 1000): a larger plan gives each task
// several runs.
constexpr std::size_t k_max_tasks = 1000;
// How many polls in a row squeue may fail before the batch gives up.
constexpr int k_max_squeue_failures = 60;
// How long an interrupted batch waits for its cancelled tasks to leave the queue.
constexpr milliseconds k_cancel_wait{30'000};

// One job array: the runs of the plan that share their Slurm options.
struct ArrayJob {
  core::SlurmOptions options;
  std::vector<RunSpec> runs;
  std::size_t tasks = 0;
  fs::path dir;  // its plan, script and task logs
  std::string id;
  bool queued = true;
};

// Where a run is expected from.
struct Awaited {
  std::size_t job = 0;
  std::size_t task = 0;
};

std::vector<ArrayJob> group_runs(const ProjectContext& context, const std::vector<RunSpec>& specs) {
  std::vector<ArrayJob> jobs;
  for (const auto& spec : specs) {
    const core::SlurmOptions options = core::overlay(context.config.runners.slurm, spec.slurm);
    auto job = std::find_if(jobs.begin(), jobs.end(),
                            [&](const ArrayJob& j) { return j.options == options; });
    if (job == jobs.end()) {
      jobs.push_back(ArrayJob{options, {}, 0, {}, {}, true});
      job = std::prev(jobs.end());
    }
    job->runs.push_back(spec);
  }
  return jobs;
}

// The batch script of `job`: task I runs shard I/N of the job's plan. A task that Slurm runs
// again (requeued after a node failure: SLURM_RESTART_COUNT) keeps what its first attempt
// recorded.
std::string task_script(const ArrayJob& job, const SlurmRunOptions& options) {
  const std::size_t jobs = options.jobs != 0
                               ? options.jobs
                               : static_cast<std::size_t>(job.options.cpus_per_task.value_or(1));
  std::string command = util::shell_quote(options.qa_batch.string()) + " --from-plan " +
                        util::shell_quote((job.dir / "plan.json").string()) +
                        fmt::format(" --shard \"$SLURM_ARRAY_TASK_ID/{}\"", job.tasks) +
                        fmt::format(" -j {}", jobs) + " --on-existing \"$on_existing\"";
  if (options.verbose) {
    command += " -v";
  }
  if (options.use_cache == UseCache::no) {
    command += " --no-cache";
  }
  if (!options.extra_args.empty()) {
    command += " --";
    for (const auto& arg : options.extra_args) {
      command += " " + util::shell_quote(arg);
    }
  }
  return fmt::format(
      "#!/bin/sh\n"
      "# Written by qa-batch --runner slurm: array task I of {} runs shard I/{} of plan.json.\n"
      "on_existing={}\n"
      "if [ \"${{SLURM_RESTART_COUNT:-0}}\" != 0 ]; then on_existing=skip; fi\n"
      "exec {}\n",
      job.tasks, job.tasks, options.on_existing == OnExisting::skip ? "skip" : "run", command);
}

// Sleep `duration`, or less when a signal arrives.
void sleep_unless_interrupted(milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!util::interrupted() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min(milliseconds(50), duration));
  }
}

// Cancel `jobs` and wait until their tasks have left the queue (a second signal stops waiting).
void cancel_jobs(SlurmClient& client, const std::vector<ArrayJob>& jobs) {
  std::vector<std::string> ids;
  for (const auto& job : jobs) {
    if (!job.id.empty()) {
      ids.push_back(job.id);
    }
  }
  if (ids.empty()) {
    return;
  }
  util::reset_interrupt();  // scancel and squeue must run
  if (auto cancelled = client.cancel(ids); !cancelled) {
    util::log::warning("{}", cancelled.error().message);
    return;
  }
  const auto until = std::chrono::steady_clock::now() + k_cancel_wait;
  while (!util::interrupted() && std::chrono::steady_clock::now() < until) {
    std::size_t queued = 0;
    for (const auto& id : ids) {
      queued += client.queued_tasks(id).value_or(0);
    }
    if (queued == 0) {
      util::log::info("cancelled Slurm job array{} {}", ids.size() > 1 ? "s" : "",
                      util::join(ids, ", "));
      return;
    }
    sleep_unless_interrupted(milliseconds(200));
  }
  util::log::warning("Slurm job array{} {} cancelled but still queued", ids.size() > 1 ? "s" : "",
                     util::join(ids, ", "));
}

}  // namespace

Expected<BatchOutcome> run_slurm(const ProjectContext& context, store::Store& store,
                                 const std::vector<RunSpec>& specs, const SlurmRunOptions& options,
                                 const RecordSink& sink) {
  QA_TRY(util::create_dirs(options.work_dir));
  SlurmClient client(options.work_dir);
  std::vector<ArrayJob> jobs = group_runs(context, specs);
  BatchOutcome outcome;
  Progress progress(specs.size());
  const std::string& project = context.config.name;
  const std::string commit = context.commit.key();

  auto emit = [&](const core::RunRecord& record, Skipped skipped) {
    const bool ok = outcome.count(record, skipped);
    sink(record);
    progress.finished(!ok);
  };

  // The records stored before the submission: passed on at once with --on-existing skip when
  // ok, otherwise remembered so that only a new record counts.
  std::vector<std::string> keys;
  for (const auto& spec : specs) {
    keys.push_back(spec.key);
  }
  QA_TRY_ASSIGN(const auto existing, store.get_runs(project, commit, keys));
  std::map<std::string, std::string> before;
  std::set<std::string> done;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!existing[i]) {
      continue;
    }
    if (options.on_existing == OnExisting::skip && core::succeeded(existing[i]->status)) {
      emit(*existing[i], Skipped::yes);
      done.insert(keys[i]);
    } else {
      before[keys[i]] = core::to_json_line(*existing[i]);
    }
  }

  std::map<std::string, Awaited> pending;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    ArrayJob& job = jobs[j];
    if (std::all_of(job.runs.begin(), job.runs.end(),
                    [&](const RunSpec& spec) { return done.contains(spec.key); })) {
      job.queued = false;  // --on-existing skip found every run recorded: nothing to submit
      continue;
    }
    job.tasks = std::min(job.runs.size(), k_max_tasks);
    job.dir = options.work_dir / fmt::format("array-{}", j);
    QA_TRY(util::create_dirs(job.dir));
    QA_TRY(write_plan_file(job.dir / "plan.json", context, job.runs));
    const fs::path script = job.dir / "task.sh";
    QA_TRY(util::write_file_atomic(script, task_script(job, options), util::Fsync::no, 0755));
    // The store reaches the tasks through the environment (sbatch passes it on), never in a
    // file: its URL may hold credentials.
    const ArraySubmission submission{script,
                                     options.cwd,
                                     job.dir,
                                     job.tasks,
                                     "qa-batch",
                                     job.options,
                                     {{"QA_STORE", context.store_location}}};
    auto id = client.submit(submission);
    if (!id) {
      cancel_jobs(client, jobs);
      return tl::unexpected<Error>(std::move(id).error());
    }
    job.id = *id;
    util::log::info("submitted Slurm job array {}: {} task{} for {} runs, logs in {}", job.id,
                    job.tasks, job.tasks > 1 ? "s" : "", job.runs.size(), quote(job.dir.string()));
    for (std::size_t i = 0; i < job.runs.size(); ++i) {
      if (!done.contains(job.runs[i].key)) {
        pending.emplace(job.runs[i].key, Awaited{j, i % job.tasks});
      }
    }
  }

  // Collect the records that appear until every task has left the queue, then once more.
  bool final_pass = false;
  int squeue_failures = 0;
  std::string last_store_error;
  while (!pending.empty()) {
    if (util::interrupted()) {
      cancel_jobs(client, jobs);
      outcome.interrupted = true;
      return outcome;
    }
    std::vector<std::string> wanted;
    for (const auto& entry : pending) {
      wanted.push_back(entry.first);
    }
    auto records = store.get_runs(project, commit, wanted);
    if (!records) {
      if (final_pass) {
        return with_context("cannot read the records of the Slurm tasks",
                            std::move(records).error());
      }
      if (records.error().message != last_store_error) {
        util::log::warning("cannot read the records yet: {}", records.error().message);
        last_store_error = records.error().message;
      }
    } else {
      for (std::size_t i = 0; i < wanted.size(); ++i) {
        const auto& record = (*records)[i];
        if (!record) {
          continue;
        }
        if (const auto old = before.find(wanted[i]);
            old != before.end() && old->second == core::to_json_line(*record)) {
          continue;
        }
        emit(*record, Skipped::no);
        pending.erase(wanted[i]);
      }
    }
    if (pending.empty() || final_pass) {
      break;
    }
    bool queued = false;
    for (auto& job : jobs) {
      if (!job.queued) {
        continue;
      }
      auto count = client.queued_tasks(job.id);
      if (!count) {
        if (count.error().kind == ErrorKind::interrupted) {
          queued = true;
          break;
        }
        if (++squeue_failures > k_max_squeue_failures) {
          cancel_jobs(client, jobs);
          return fail_as(ErrorKind::environment, "{} ({} times in a row; job arrays cancelled)",
                         count.error().message, squeue_failures);
        }
        queued = true;
        continue;
      }
      squeue_failures = 0;
      job.queued = *count > 0;
      queued = queued || job.queued;
    }
    if (!queued) {
      final_pass = true;  // a record written just before its task ended is read once more
      continue;
    }
    sleep_unless_interrupted(options.poll);
  }

  // The runs whose task ended without recording them.
  for (std::size_t j = 0; j < jobs.size() && !pending.empty(); ++j) {
    const ArrayJob& job = jobs[j];
    std::map<std::size_t, std::vector<std::string>> by_task;
    for (const auto& [key, where] : pending) {
      if (where.job == j) {
        by_task[where.task].push_back(key);
      }
    }
    if (by_task.empty()) {
      continue;
    }
    const auto states = client.task_states(job.id).value_or(std::vector<TaskState>{});
    for (const auto& [task, missing] : by_task) {
      std::string state = "state unknown";
      for (const auto& known : states) {
        if (known.task == task) {
          state = fmt::format("{}, exit code {}", known.state, known.exit_code);
        }
      }
      std::vector<std::string> named(
          missing.begin(),
          missing.begin() + static_cast<long>(std::min<std::size_t>(missing.size(), 3)));
      if (missing.size() > named.size()) {
        named.push_back(fmt::format("and {} more", missing.size() - named.size()));
      }
      util::log::warning(
          "task {} of Slurm job {} ({}) ended without recording {} run{}: {}; its log: {}", task,
          job.id, state, missing.size(), missing.size() > 1 ? "s" : "", util::join(named, ", "),
          quote(task_log(job.dir, job.id, task).string()));
      outcome.errors += missing.size();
    }
  }
  return outcome;
}

}  // namespace qa::runner
