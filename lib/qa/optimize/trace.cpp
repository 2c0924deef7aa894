#include <qa/optimize/trace.hpp>

#include <fmt/format.h>

#include <cmath>

namespace qa::optimize {

namespace {

using json = nlohmann::json;

std::string_view status_name(EvaluationStatus status) {
  switch (status) {
    case EvaluationStatus::ok:
      return "ok";
    case EvaluationStatus::failed:
      return "failed";
    case EvaluationStatus::interrupted:
      return "interrupted";
  }
  return "failed";
}

std::string_view kind_name(core::DimensionKind kind) {
  switch (kind) {
    case core::DimensionKind::real:
      return "real";
    case core::DimensionKind::integer:
      return "integer";
    case core::DimensionKind::categorical:
      return "categorical";
  }
  return "real";
}

// A double as JSON: null when it is not finite (JSON has no infinity).
json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json to_json(const std::map<std::string, double>& values) {
  json out = json::object();
  for (const auto& [name, value] : values) {
    out[name] = number(value);
  }
  return out;
}

json to_json(const EvaluationSummary& evaluation) {
  json notes = json::array();
  for (const auto& note : evaluation.notes) {
    notes.push_back(note);
  }
  return {{"evaluation", evaluation.number},
          {"label", evaluation.label},
          {"params", evaluation.params},
          {"point", evaluation.point},
          {"status", status_name(evaluation.status)},
          {"objective", evaluation.objective ? number(*evaluation.objective) : json(nullptr)},
          {"terms", to_json(evaluation.terms)},
          {"aggregates", to_json(evaluation.aggregates)},
          {"runs",
           {{"total", evaluation.runs},
            {"ok", evaluation.runs_ok},
            {"failed", evaluation.runs_failed}}},
          {"notes", std::move(notes)}};
}

}  // namespace

std::string evaluation_label(const std::string& base_label, std::size_t number) {
  return fmt::format("{}.iter{}", base_label, number);
}

std::optional<std::size_t> best_evaluation(const OptimizationTrace& trace) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < trace.evaluations.size(); ++i) {
    const auto& objective = trace.evaluations[i].objective;
    if (trace.evaluations[i].status == EvaluationStatus::ok && objective &&
        (!best || *objective < *trace.evaluations[*best].objective)) {
      best = i;
    }
  }
  return best;
}

json to_json(const core::SearchSpace& space) {
  json out = json::array();
  for (const auto& dimension : space.dimensions) {
    json entry = {{"name", dimension.name}, {"kind", kind_name(dimension.kind)}};
    if (dimension.kind == core::DimensionKind::categorical) {
      entry["categories"] = dimension.categories;
    } else {
      entry["low"] = dimension.low;
      entry["high"] = dimension.high;
      entry["prior"] = dimension.prior == core::Prior::log_uniform ? "log-uniform" : "uniform";
    }
    out.push_back(std::move(entry));
  }
  return out;
}

json to_json(const OptimizationTrace& trace) {
  json doc = {{"schema", "qa.optimization/1"},
              {"project", trace.project},
              {"commit", trace.commit},
              {"base_label", trace.base_label},
              {"file", trace.file},
              {"solver", trace.solver},
              {"seed", trace.seed},
              {"budget", trace.budget},
              {"parallel", trace.parallel},
              {"objective", nullptr},
              {"params", nullptr},
              {"evaluation", nullptr},
              {"label", nullptr}};
  if (const auto best = best_evaluation(trace)) {
    const auto& evaluation = trace.evaluations[*best];
    doc["objective"] = number(*evaluation.objective);
    doc["params"] = evaluation.params;
    doc["evaluation"] = evaluation.number;
    doc["label"] = evaluation.label;
  }
  doc["metrics"] = trace.metrics;
  doc["search_space"] = to_json(trace.search_space);
  json evaluations = json::array();
  for (const auto& evaluation : trace.evaluations) {
    evaluations.push_back(to_json(evaluation));
  }
  doc["evaluations"] = std::move(evaluations);
  json best_runs = json::object();
  for (const auto& [key, base] : trace.best_runs) {
    best_runs[key] = base;
  }
  doc["best_runs"] = std::move(best_runs);
  return doc;
}

}  // namespace qa::optimize
