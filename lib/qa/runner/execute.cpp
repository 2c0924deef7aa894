#include <qa/runner/execute.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <utility>

#include <qa/core/placeholders.hpp>
#include <qa/core/run_metrics.hpp>
#include <qa/runner/entrypoint.hpp>
#include <qa/runner/plan.hpp>
#include <qa/runner/run_cache.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/log.hpp>
#include <qa/util/shell.hpp>
#include <qa/util/subprocess.hpp>
#include <qa/util/time.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

core::RunValues run_values(const ProjectContext& context, const RunSpec& spec) {
  return core::RunValues{spec.input_path.string(),
                         spec.rel_input_path,
                         spec.output_dir.string(),
                         spec.params,
                         spec.configs,
                         context.config.root.string(),
                         context.commit.key(),
                         spec.label};
}

std::optional<std::chrono::milliseconds> timeout_of(const ProjectContext& context) {
  if (!context.config.run.timeout_s) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(*context.config.run.timeout_s * 1000));
}

// Append `line` to the log, so the log says what ran. A symbolic link that the command put in
// the log's place is not written through.
void note_in_log(const fs::path& log, std::string_view line) {
  const util::UniqueFd fd(
      ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (fd && ::write(fd.get(), line.data(), line.size()) < 0) {
    util::log::debug("cannot write to {}: {}", quote(log.string()), std::strerror(errno));
  }
}

// The identity of a folder (device and inode, links followed): a command that replaces its
// output folder (by a symbolic link to elsewhere, say) changes it.
std::optional<std::pair<dev_t, ino_t>> folder_identity(const fs::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return std::nullopt;
  }
  return std::pair{st.st_dev, st.st_ino};
}

// Return the log's entry, or nothing (with a warning) when the command replaced the log file by
// something that is not one (a symbolic link to a file outside, a fifo): it is not followed.
Expected<std::optional<core::LogFile>> recorded_log(const fs::path& log) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(log, ec))) {
    util::log::warning(
        "{} is no longer the log qa-run wrote (the command replaced it): the "
        "run's log is not recorded",
        quote(log.string()));
    return std::optional<core::LogFile>();
  }
  QA_TRY_ASSIGN(const auto digest, util::hash_file(log));
  return std::optional<core::LogFile>(
      core::LogFile{log.string(), core::FileEntry{digest.hash, digest.size}});
}

core::RunStatus status_of(const util::CommandResult& result) {
  if (result.kind == util::ExitKind::timed_out) {
    return core::RunStatus::timeout;
  }
  return result.succeeded() ? core::RunStatus::ok : core::RunStatus::failed;
}

Expected<util::CommandResult> run_step(const ProjectContext& context, const RunSpec& spec,
                                       const std::string& command, const fs::path& log) {
  note_in_log(log, "$ " + command + "\n");
  std::map<std::string, std::string> env = context.config.run.env;
  if (context.config.run.command.empty()) {
    for (auto& [name, value] : entrypoint_environment(context)) {
      env[name] = value;
    }
  }
  for (auto& [name, value] : core::run_environment(run_values(context, spec))) {
    env[name] = value;
  }
  util::ShellCommand shell{command, context.config.root, env, log, timeout_of(context)};
  QA_TRY_ASSIGN(auto result, util::run_shell(shell));
  if (result.kind == util::ExitKind::interrupted) {
    return tl::unexpected<Error>(Error{"interrupted", ErrorKind::interrupted});
  }
  if (result.kind == util::ExitKind::timed_out) {
    note_in_log(log, fmt::format("qa-run: killed after the timeout of {} s\n",
                                 *context.config.run.timeout_s));
  } else if (!result.succeeded()) {
    note_in_log(log, fmt::format("qa-run: exit code {}\n", result.exit_code));
  }
  return result;
}

}  // namespace

Expected<std::string> build_command(const ProjectContext& context, const RunSpec& spec,
                                    const std::vector<std::string>& extra_args) {
  if (context.config.run.command.empty()) {
    if (!context.config.entrypoint.empty()) {
      return entrypoint_command(context.config, extra_args);
    }
    return fail_as(ErrorKind::config,
                   "cannot run: {} has neither \"run.command\" nor \"project.entrypoint\"",
                   quote(context.config.file.string()));
  }
  QA_TRY_ASSIGN(std::string command, core::substitute_placeholders(context.config.run.command,
                                                                   run_values(context, spec)));
  for (const auto& arg : extra_args) {
    command += " " + util::shell_quote(arg);
  }
  return command;
}

Expected<core::RunRecord> execute_run(const ProjectContext& context, store::Store& store,
                                      const RunSpec& spec, const ExecuteOptions& options) {
  QA_TRY_ASSIGN(const std::string command, build_command(context, spec, options.extra_args));
  QA_TRY_ASSIGN(const auto cache_key,
                run_cache_key(context, spec, options.extra_args, options.hash_cache));
  if (cache_key && options.use_cache == UseCache::yes) {
    QA_TRY_ASSIGN(auto cached, cached_record(context, store, spec, *cache_key));
    if (cached) {
      QA_TRY_ASSIGN(const bool stored, store.put_run_of_stored_blobs(*cached));
      if (stored) {
        util::log::debug("{}: the outputs of commit {} (run cache), nothing ran", spec.key,
                         cached->cached_from.substr(0, 12));
        return std::move(*cached);
      }
      util::log::info("{}: an output of its cached run is missing from the store: running it",
                      spec.key);
    }
  }
  std::string postprocess;
  if (!context.config.run.postprocess.empty()) {
    QA_TRY_ASSIGN(postprocess, core::substitute_placeholders(context.config.run.postprocess,
                                                             run_values(context, spec)));
  }
  QA_TRY(prepare_output_root(context.output_root, spec.output_dir));
  // Held until the run is recorded: a concurrent run of the same key waits.
  QA_TRY_ASSIGN(const auto lock,
                prepare_output_dir(spec.output_dir, options.keep_previous, context.config.root));
  const auto identity = folder_identity(spec.output_dir);
  const fs::path log = spec.output_dir / k_log_file_name;

  core::RunRecord record = planned_record(context, spec);
  record.started_at = util::rfc3339(std::chrono::system_clock::now());
  record.host = util::host_name();

  util::log::debug("running {}", command);
  QA_TRY_ASSIGN(const auto result, run_step(context, spec, command, log));
  record.status = status_of(result);
  record.exit_code = result.exit_code;
  record.timing = core::Timing{result.wall_s, result.user_s, result.sys_s, result.peak_rss_kb};
  if (record.status == core::RunStatus::ok && !postprocess.empty()) {
    util::log::debug("postprocessing with {}", postprocess);
    QA_TRY_ASSIGN(const auto post, run_step(context, spec, postprocess, log));
    record.status = status_of(post);
    record.exit_code = post.exit_code;
  }

  if (folder_identity(spec.output_dir) != identity) {
    return fail(
        "cannot record the run of {}: the command replaced its output folder {} (by a "
        "symbolic link or another folder); its content is not followed",
        quote(spec.rel_input_path), quote(spec.output_dir.string()));
  }

  auto metrics = core::read_run_metrics(spec.output_dir / core::k_metrics_file_name);
  if (metrics) {
    record.metrics = metrics->metrics;
    record.badges = metrics->badges;
    record.links = metrics->links;
  } else if (record.status == core::RunStatus::ok) {
    return tl::unexpected<Error>(metrics.error());
  } else {
    util::log::warning("{}", metrics.error().message);
  }
  // QA-Board's convention: a run may declare itself failed in its metrics.
  if (const auto it = record.metrics.find("is_failed"); it != record.metrics.end() &&
                                                        it->is_boolean() && it->get<bool>() &&
                                                        record.status == core::RunStatus::ok) {
    note_in_log(log, "qa-run: metrics.json says is_failed: true\n");
    record.status = core::RunStatus::failed;
  }
  record.metrics["is_failed"] = record.status != core::RunStatus::ok;
  record.metrics["compute_time"] = result.wall_s;
  record.metrics["peak_rss_mb"] = static_cast<double>(result.peak_rss_kb) / 1024.0;

  core::FileSelection everything;
  QA_TRY_ASSIGN(record.files, core::build_manifest(spec.output_dir, everything,
                                                   reserved_output_names(), options.hash_threads));
  QA_TRY_ASSIGN(record.log, recorded_log(log));
  if (cache_key) {
    record.cache_key = *cache_key;
  }
  QA_TRY(store.put_run(record, spec.output_dir));
  if (cache_key && record.status == core::RunStatus::ok) {
    // The record is stored: a cache entry never names a run that is not there.
    if (auto named = store.put_cache_entry(context.config.name, *cache_key,
                                           store::CacheEntry{record.commit, record.key});
        !named) {
      util::log::warning("{}: not added to the run cache: {}", spec.key, named.error().message);
    }
  }
  return record;
}

}  // namespace qa::runner
