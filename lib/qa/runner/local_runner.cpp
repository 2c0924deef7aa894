#include <qa/runner/local_runner.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <qa/runner/progress.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>

namespace qa::runner {

namespace {

// Run `spec`, or with OnExisting::skip pass on its ok record of this commit when there is one:
// `existing`, read for the whole batch at once, or else read now. A store that cannot say
// whether there is one is an error: the run is neither skipped nor run again silently.
Expected<std::pair<core::RunRecord, Skipped>> run_or_skip(
    const ProjectContext& context, store::Store& store, const RunSpec& spec, OnExisting on_existing,
    const std::optional<core::RunRecord>* existing, const ExecuteOptions& execute) {
  if (on_existing == OnExisting::skip) {
    std::optional<core::RunRecord> read;
    if (existing == nullptr) {
      auto found = store.get_run(context.config.name, context.commit.key(), spec.key);
      if (!found) {
        return with_context("cannot read its existing record", std::move(found).error());
      }
      read = std::move(*found);
      existing = &read;
    }
    if (*existing && core::succeeded((*existing)->status)) {
      return std::pair{**existing, Skipped::yes};
    }
  }
  QA_TRY_ASSIGN(auto record, execute_run(context, store, spec, execute));
  return std::pair{std::move(record), Skipped::no};
}

}  // namespace

void write_pack(const ProjectContext& context, store::Store& store,
                const std::vector<RunSpec>& specs, std::vector<core::RunRecord> records) {
  std::vector<std::string> keys;
  keys.reserve(specs.size());
  for (const auto& spec : specs) {
    keys.push_back(spec.key);
  }
  if (auto written =
          store.put_pack(context.config.name, context.commit.key(), keys, std::move(records));
      !written) {
    util::log::warning(
        "the pack of this batch was not written: {}; readers read its single "
        "records instead",
        written.error().message);
  }
}

BatchOutcome run_local(const ProjectContext& context, store::Store& store,
                       const std::vector<RunSpec>& specs, const LocalRunOptions& options,
                       const RecordSink& sink) {
  const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t jobs = std::clamp<std::size_t>(options.jobs == 0 ? cores : options.jobs, 1,
                                                   std::max<std::size_t>(specs.size(), 1));
  ExecuteOptions execute = options.execute;
  if (execute.hash_threads == 0) {
    execute.hash_threads = std::max<std::size_t>(1, cores / jobs);
  }

  // With --on-existing skip, the stored records of the whole batch are read at once.
  std::optional<std::vector<std::optional<core::RunRecord>>> existing;
  if (options.on_existing == OnExisting::skip) {
    std::vector<std::string> keys;
    keys.reserve(specs.size());
    for (const auto& spec : specs) {
      keys.push_back(spec.key);
    }
    if (auto found = store.get_runs(context.config.name, context.commit.key(), keys)) {
      existing = std::move(*found);
    }  // else each run reads its own, and says why it cannot
  }

  BatchOutcome outcome;
  std::vector<core::RunRecord> recorded;  // for the pack
  std::mutex mutex;                       // guards outcome and recorded, and serialises sink
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  Progress progress(specs.size());

  auto report = [&](const core::RunRecord& record, Skipped skipped) {
    bool ok = false;
    {
      const std::lock_guard lock(mutex);
      ok = outcome.count(record, skipped);
      recorded.push_back(record);
      sink(record);
    }
    progress.finished(!ok);
    if (!ok && options.fail_fast == FailFast::yes) {
      stop = true;
    }
  };

  auto work = [&] {
    while (!stop && !util::interrupted()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= specs.size()) {
        return;
      }
      const RunSpec& spec = specs[i];
      auto record = run_or_skip(context, store, spec, options.on_existing,
                                existing ? &(*existing)[i] : nullptr, execute);
      if (record) {
        report(record->first, record->second);
        continue;
      }
      if (record.error().kind == ErrorKind::interrupted) {
        return;  // interrupted: the loop condition stops the other workers too
      }
      util::log::write(util::log::Level::warning,
                       fmt::format("run {} not recorded: {}", spec.key, record.error().message));
      {
        const std::lock_guard lock(mutex);
        ++outcome.errors;
      }
      progress.finished(true);
      if (options.fail_fast == FailFast::yes) {
        stop = true;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < jobs; ++t) {
      workers.emplace_back(work);
    }
    work();
  }
  outcome.interrupted = util::interrupted();
  write_pack(context, store, specs, std::move(recorded));
  return outcome;
}

}  // namespace qa::runner
