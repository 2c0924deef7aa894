#include <qa/optimize/batch_search.hpp>

#include <qa/core/metric_defs.hpp>
#include <qa/core/objective.hpp>
#include <qa/core/optimization.hpp>
#include <qa/core/optimize_spec.hpp>
#include <qa/core/params.hpp>
#include <qa/core/run_key.hpp>
#include <qa/optimize/optimizer.hpp>
#include <qa/runner/reference.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/env.hpp>
#include <qa/util/log.hpp>

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace qa::optimize {

namespace {

using json = nlohmann::json;

Expected<std::uint64_t> search_seed(const runner::OptimizationRequest& request,
                                    const core::OptimizeSpec& spec) {
  if (request.seed) {
    return *request.seed;
  }
  if (const auto text = util::env_value("QA_SEED"); text && !text->empty()) {
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    const auto [stop, error] = std::from_chars(text->data(), end, value);
    if (error != std::errc() || stop != end) {
      return fail_as(ErrorKind::usage, "invalid QA_SEED {}: expected a whole number from 0",
                     quote(*text));
    }
    return value;
  }
  if (spec.solver.seed) {
    return static_cast<std::uint64_t>(*spec.solver.seed);
  }
  return static_cast<std::uint64_t>(core::k_default_optimize_seed);
}

// The per-run targets of shift and relative losses when the objective names a revision: for
// each run of the batch's plan (by position), the metrics of the same run at that revision
// under the target's label. Every run needs one: a missing one is an error before anything
// runs (QA-Board fails on it too, after running).
Expected<std::vector<json>> load_targets(const runner::OptimizationRequest& request,
                                         const core::ObjectiveSpec& objective) {
  if (!objective.target) {
    return std::vector<json>{};
  }
  const auto& target = *objective.target;
  const auto& context = *request.context;
  QA_TRY_ASSIGN(const std::string commit,
                runner::resolve_commit(context, *request.store, target.revision));
  runner::PlanRequest plan = request.plan;
  plan.label = target.label;
  QA_TRY_ASSIGN(const auto specs, runner::make_plan(context, plan));
  std::vector<std::string> keys;
  for (const auto& spec : specs) {
    keys.push_back(spec.key);
  }
  QA_TRY_ASSIGN(const auto records, request.store->get_runs(context.config.name, commit, keys));
  std::vector<json> targets;
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i]) {
      missing.push_back(keys[i]);
      targets.emplace_back(json::object());
    } else {
      targets.push_back(records[i]->metrics);
    }
  }
  if (!missing.empty()) {
    return fail_as(ErrorKind::config,
                   "the objective's target {} ({}) has no record for {} of {} runs, e.g. {}: run "
                   "the batch with --label {} at that commit first",
                   quote(target.revision), commit.substr(0, 12), missing.size(), keys.size(),
                   quote(missing.front()), target.label);
  }
  return targets;
}

// One evaluation of a wave: its point, its runs, and the records that came back.
struct Pending {
  Trial trial;
  std::vector<runner::RunSpec> specs;
  std::map<std::string, std::size_t> positions;         // run key -> position in `specs`
  std::vector<std::optional<core::RunRecord>> records;  // by position, as they arrive
};

std::string describe_point(const json& point) {
  std::string out;
  for (const auto& [name, value] : point.items()) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, value.dump());
  }
  return out;
}

class Search {
 public:
  Search(const runner::OptimizationRequest& request, core::OptimizeSpec spec, core::MetricDefs defs,
         std::vector<json> targets, Optimizer optimizer, core::Optimization trace,
         std::vector<std::string> base_keys)
      : m_request(request),
        m_spec(std::move(spec)),
        m_defs(std::move(defs)),
        m_targets(std::move(targets)),
        m_optimizer(std::move(optimizer)),
        m_trace(std::move(trace)),
        m_base_keys(std::move(base_keys)) {}

  [[nodiscard]] const core::Optimization& trace() const { return m_trace; }

  // Write the trace to --best (when given): before the first evaluation (so that a path that
  // cannot be written fails before anything runs), after each wave (a search killed with -9
  // keeps what it did; a long one can be watched), and at the end.
  Expected<void> publish() {
    if (!m_request.best_output) {
      return {};
    }
    core::set_best(m_trace);
    m_trace.best_runs.clear();
    if (m_trace.evaluation) {
      const auto keys = m_keys.find(*m_trace.evaluation);
      if (keys != m_keys.end() && keys->second.size() == m_base_keys.size()) {
        for (std::size_t i = 0; i < m_base_keys.size(); ++i) {
          m_trace.best_runs.emplace(keys->second[i], m_base_keys[i]);
        }
      }
    }
    auto written = util::write_file_atomic(*m_request.best_output, to_json(m_trace).dump(2) + "\n",
                                           util::Fsync::no);
    if (!written) {
      return fail_as(written.error().kind, "cannot write --best {}: {}",
                     quote(m_request.best_output->string()), written.error().message);
    }
    return {};
  }

  // Evaluate waves of points until the budget is spent, the space runs out, an interrupt or
  // (--fail-fast) a failed run.
  Expected<runner::OptimizationOutcome> run() {
    runner::OptimizationOutcome outcome;
    std::size_t not_recorded = 0;
    QA_TRY(publish());
    while (true) {
      std::vector<Pending> wave;
      while (true) {
        QA_TRY_ASSIGN(auto asked, m_optimizer.ask());
        if (asked.status != AskStatus::trial) {
          break;
        }
        QA_TRY_ASSIGN(auto pending, plan_evaluation(std::move(asked.trial)));
        wave.push_back(std::move(pending));
      }
      if (wave.empty()) {
        break;
      }
      const auto batch = run_wave(wave);
      not_recorded += batch.errors;
      for (auto& pending : wave) {
        QA_TRY(conclude(pending, batch.interrupted, outcome));
      }
      prune_outputs();
      QA_TRY(publish());
      if (batch.interrupted) {
        outcome.interrupted = true;
        break;
      }
      if (m_request.run.fail_fast == runner::FailFast::yes && outcome.failed_runs > 0) {
        util::log::info("a run failed: the search stops there (--fail-fast)");
        break;
      }
    }
    if (not_recorded > 0) {
      return fail_as(ErrorKind::environment,
                     "{} runs not recorded: the store refused them (see the warnings above)",
                     not_recorded);
    }
    return outcome;
  }

 private:
  Expected<Pending> plan_evaluation(Trial trial) {
    const std::size_t number = trial.index + 1;
    runner::PlanRequest plan = m_request.plan;
    plan.label = core::evaluation_label(m_request.plan.label, number);
    core::deep_merge(plan.params, trial.params);
    Pending pending;
    QA_TRY_ASSIGN(pending.specs, runner::make_plan(*m_request.context, plan));
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < pending.specs.size(); ++i) {
      pending.positions.emplace(pending.specs[i].key, i);
      keys.push_back(pending.specs[i].key);
    }
    m_keys.emplace(number, std::move(keys));
    std::vector<std::filesystem::path> folders;
    for (const auto& spec : pending.specs) {
      folders.push_back(spec.output_dir);
    }
    m_outputs.emplace(number, std::move(folders));
    pending.records.resize(pending.specs.size());
    pending.trial = std::move(trial);
    return pending;
  }

  runner::BatchOutcome run_wave(std::vector<Pending>& wave) {
    std::vector<runner::RunSpec> specs;
    std::map<std::string, std::size_t> owner;  // run key -> position in `wave`
    for (std::size_t w = 0; w < wave.size(); ++w) {
      for (const auto& spec : wave[w].specs) {
        owner.emplace(spec.key, w);
        specs.push_back(spec);
      }
    }
    const std::size_t first = wave.front().trial.index + 1;
    const std::size_t last = wave.back().trial.index + 1;
    util::log::info("{} {} of {}: {} runs", first == last ? "evaluation" : "evaluations",
                    first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last),
                    m_spec.evaluations, specs.size());
    return runner::run_local(*m_request.context, *m_request.store, specs, m_request.run,
                             [&](const core::RunRecord& record) {
                               if (const auto found = owner.find(record.key);
                                   found != owner.end()) {
                                 Pending& pending = wave[found->second];
                                 pending.records[pending.positions.at(record.key)] = record;
                               }
                               if (m_request.sink) {
                                 m_request.sink(record);
                               }
                             });
  }

  // Summarize the evaluation `pending`, tell the solver, say it on stderr.
  Expected<void> conclude(const Pending& pending, bool interrupted,
                          runner::OptimizationOutcome& outcome) {
    core::Evaluation summary;
    summary.number = pending.trial.index + 1;
    summary.label = core::evaluation_label(m_request.plan.label, summary.number);
    summary.params = pending.trial.params;
    for (const auto& dimension : m_spec.search_space.dimensions) {
      summary.point[dimension.name] = pending.trial.params.at(dimension.name);
    }
    summary.runs.total = pending.specs.size();
    std::vector<core::RunOutcome> runs;
    std::vector<std::string> failed;
    std::size_t missing = 0;
    for (std::size_t i = 0; i < pending.records.size(); ++i) {
      const auto& record = pending.records[i];
      if (!record) {
        ++missing;
        continue;
      }
      auto run = core::run_outcome(*record);
      if (run.failed) {
        failed.push_back(record->key);
      }
      if (!m_targets.empty() && i < m_targets.size()) {
        run.targets = m_targets[i];
      }
      runs.push_back(std::move(run));
    }
    summary.runs.failed = failed.size();
    summary.runs.ok = runs.size() - failed.size();
    outcome.failed_runs += failed.size();
    aggregate(runs, summary);

    if (missing > 0 && interrupted) {
      summary.status = core::EvaluationStatus::interrupted;
      summary.notes.push_back(
          fmt::format("interrupted: {} of {} runs not done", missing, summary.runs.total));
      m_trace.evaluations.push_back(std::move(summary));
      return {};  // not told: a rerun evaluates it again
    }
    ++outcome.evaluations;
    if (missing > 0) {
      summary.notes.push_back(
          fmt::format("{} of {} runs not recorded", missing, summary.runs.total));
    } else if (!failed.empty()) {
      // Leaving failed runs out of the objective would reward the points that make the hard
      // inputs fail: the evaluation fails as a whole.
      summary.notes.push_back(fmt::format("{} of {} runs failed, e.g. {}", failed.size(),
                                          summary.runs.total, quote(failed.front())));
    } else {
      auto value = core::evaluate_objective(m_spec.objective, m_defs, runs);
      if (value) {
        summary.status = core::EvaluationStatus::ok;
        summary.objective = value->value;
        summary.terms = value->terms;
        summary.notes = value->notes;
      } else {
        summary.notes.push_back(value.error().message);
      }
    }
    if (summary.status == core::EvaluationStatus::ok) {
      ++outcome.succeeded;
      QA_TRY(m_optimizer.tell(pending.trial.index, *summary.objective));
    } else {
      QA_TRY(m_optimizer.tell_failed(pending.trial.index));
    }
    say(summary);
    m_trace.evaluations.push_back(std::move(summary));
    return {};
  }

  // Remove the output folders of the evaluations that succeeded but are not the best so far, as
  // QA-Board does: a search of hundreds of evaluations would otherwise fill the disk with
  // copies of what the store holds (`qa-get --key` brings any of them back). The best one's and
  // the failed ones' (to debug them) stay.
  void prune_outputs() {
    const auto best = m_optimizer.best();
    for (const auto& evaluation : m_trace.evaluations) {
      const auto folders = m_outputs.find(evaluation.number);
      if (folders == m_outputs.end() || evaluation.status != core::EvaluationStatus::ok ||
          (best && best->index + 1 == evaluation.number)) {
        continue;
      }
      for (const auto& folder : folders->second) {
        std::error_code error;
        std::filesystem::remove_all(folder, error);
        if (error) {
          util::log::warning("cannot remove the output folder {}: {}", quote(folder.string()),
                             error.message());
          continue;
        }
        // The folders of the key's label and configuration, once empty.
        const auto& root = m_request.context->output_root;
        for (auto parent = folder.parent_path();
             parent != root && parent.string().starts_with(root.string() + "/") &&
             std::filesystem::is_empty(parent, error) && !error;
             parent = parent.parent_path()) {
          std::filesystem::remove(parent, error);
        }
      }
      m_outputs.erase(folders);
    }
  }

  // The mean of each objective metric over the ok runs that have a number for it.
  void aggregate(const std::vector<core::RunOutcome>& runs, core::Evaluation& summary) const {
    for (const auto& term : m_spec.objective.terms) {
      double sum = 0;
      std::size_t count = 0;
      for (const auto& run : runs) {
        const auto value = run.metrics.find(term.metric);
        if (!run.failed && value != run.metrics.end() && value->is_number()) {
          sum += value->get<double>();
          ++count;
        }
      }
      if (count > 0) {
        summary.aggregates[term.metric] = sum / static_cast<double>(count);
      }
    }
  }

  void say(const core::Evaluation& summary) const {
    const auto best = m_optimizer.best();
    const std::string best_text =
        best ? fmt::format("best {:.6g} (evaluation {})", best->objective, best->index + 1)
             : std::string("no success yet");
    if (summary.status == core::EvaluationStatus::ok) {
      util::log::info("evaluation {}/{} ({}): objective {:.6g}; {}; {}", summary.number,
                      m_spec.evaluations, summary.label, *summary.objective, best_text,
                      describe_point(summary.point));
    } else {
      util::log::warning("evaluation {}/{} ({}) failed: {}; {}; {}", summary.number,
                         m_spec.evaluations, summary.label, summary.notes.front(), best_text,
                         describe_point(summary.point));
    }
  }

  const runner::OptimizationRequest& m_request;
  core::OptimizeSpec m_spec;
  core::MetricDefs m_defs;
  std::vector<json> m_targets;
  Optimizer m_optimizer;
  core::Optimization m_trace;
  std::vector<std::string> m_base_keys;  // the plain batch's run keys, in plan order
  std::map<std::size_t, std::vector<std::string>> m_keys;  // evaluation -> its runs' keys
  // evaluation -> its runs' output folders, until prune_outputs removes them
  std::map<std::size_t, std::vector<std::filesystem::path>> m_outputs;
};

Expected<core::MetricDefs> metric_defs(const runner::ProjectContext& context) {
  core::MetricDefs defs;
  if (context.config.metrics_file.empty()) {
    return defs;
  }
  std::vector<std::string> notices;
  QA_TRY_ASSIGN(defs, core::load_metric_defs(context.config.metrics_file, &notices));
  for (const auto& notice : notices) {
    util::log::warning("{}", notice);
  }
  return defs;
}

}  // namespace

Expected<runner::OptimizationOutcome> run_batch_search(const runner::OptimizationRequest& request) {
  const auto& context = *request.context;
  std::vector<std::string> notices;
  QA_TRY_ASSIGN(auto spec, core::load_optimize_spec(request.file, &notices));
  for (const auto& notice : notices) {
    util::log::warning("{}", notice);
  }
  QA_TRY_ASSIGN(auto defs, metric_defs(context));
  QA_TRY(core::check_objective_metrics(spec.objective, defs, request.file));
  QA_TRY_ASSIGN(const std::uint64_t seed, search_seed(request, spec));

  // The batch must expand, and every evaluation's label must be a valid one, before anything
  // runs.
  QA_TRY_ASSIGN(const auto base_plan, runner::make_plan(context, request.plan));
  if (base_plan.empty()) {
    return fail_as(
        ErrorKind::usage,
        "the plan is empty: {} expands to no run, nothing to "
        "evaluate",
        request.plan.names.empty() ? std::string("the batch") : quote(request.plan.names.front()));
  }
  const std::string last_label = core::evaluation_label(request.plan.label, spec.evaluations);
  if (auto valid = core::check_label(last_label); !valid) {
    return fail_as(ErrorKind::usage, "cannot label the evaluations {}: {}", quote(last_label),
                   valid.error().message);
  }
  QA_TRY_ASSIGN(auto targets, load_targets(request, spec.objective));

  OptimizerOptions options;
  options.evaluations = spec.evaluations;
  options.parallel = request.parallel.value_or(spec.parallel_sampling);
  options.seed = seed;
  options.initial_points = spec.solver.initial_points.value_or(0);
  options.strategy = request.solver == "random" ? Strategy::random : Strategy::global_search;
  QA_TRY_ASSIGN(auto optimizer, Optimizer::create(spec.search_space, spec.preset_params, options));
  util::log::info(
      "optimizing {} of {} over {} runs per evaluation: {} evaluations, {} at a "
      "time, {} search, seed {}",
      spec.search_space.dimensions.size() == 1
          ? "1 parameter"
          : fmt::format("{} parameters", spec.search_space.dimensions.size()),
      request.file.string(), base_plan.size(), spec.evaluations, options.parallel, request.solver,
      seed);

  core::Optimization trace;
  trace.project = context.config.name;
  trace.commit = context.commit.key();
  trace.base_label = request.plan.label;
  trace.file = request.file.string();
  trace.solver = request.solver;
  trace.seed = seed;
  trace.budget = spec.evaluations;
  trace.parallel = options.parallel;
  for (const auto& term : spec.objective.terms) {
    trace.metrics.push_back(term.metric);
  }
  trace.search_space = spec.search_space.dimensions;

  std::vector<std::string> base_keys;
  for (const auto& spec_of_run : base_plan) {
    base_keys.push_back(spec_of_run.key);
  }
  Search search(request, std::move(spec), std::move(defs), std::move(targets), std::move(optimizer),
                std::move(trace), std::move(base_keys));
  auto outcome = search.run();
  const core::Optimization& done = search.trace();
  if (!outcome && done.evaluations.empty()) {
    return outcome;  // nothing ran: --best cannot be written, or the solver failed at once
  }
  if (const auto best = core::best_evaluation(done)) {
    const auto& evaluation = done.evaluations[*best];
    util::log::info("best objective {:.6g} at evaluation {} ({}): {}", *evaluation.objective,
                    evaluation.number, evaluation.label, describe_point(evaluation.point));
  } else {
    util::log::warning("no evaluation succeeded");
  }
  if (request.best_output) {
    QA_TRY(search.publish());
    util::log::info("wrote {}", request.best_output->string());
  }
  return outcome;
}

void register_optimization() { runner::register_optimization(run_batch_search); }

}  // namespace qa::optimize
