// The model and the writer of optimization.hpp (its reader is optimization_reader.cpp).
#include <qa/core/optimization.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace qa::core {

namespace {

using json = nlohmann::json;

std::string_view kind_name(DimensionKind kind) {
  switch (kind) {
    case DimensionKind::real:
      return "real";
    case DimensionKind::integer:
      return "integer";
    case DimensionKind::categorical:
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

json to_json(const Dimension& dimension) {
  json out = {{"name", dimension.name}, {"kind", kind_name(dimension.kind)}};
  if (dimension.kind == DimensionKind::categorical) {
    out["categories"] = dimension.categories;
  } else {
    out["low"] = dimension.low;
    out["high"] = dimension.high;
    out["prior"] = dimension.prior == Prior::log_uniform ? "log-uniform" : "uniform";
  }
  return out;
}

json to_json(const Evaluation& evaluation) {
  json notes = json::array();
  for (const auto& note : evaluation.notes) {
    notes.push_back(note);
  }
  return {{"evaluation", evaluation.number},
          {"label", evaluation.label},
          {"params", evaluation.params},
          {"point", evaluation.point},
          {"status", to_string(evaluation.status)},
          {"objective", evaluation.objective ? number(*evaluation.objective) : json(nullptr)},
          {"terms", to_json(evaluation.terms)},
          {"aggregates", to_json(evaluation.aggregates)},
          {"runs",
           {{"total", evaluation.runs.total},
            {"ok", evaluation.runs.ok},
            {"failed", evaluation.runs.failed}}},
          {"notes", std::move(notes)}};
}

}  // namespace

std::string_view to_string(EvaluationStatus status) {
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

const Evaluation* Optimization::best() const {
  if (!evaluation) {
    return nullptr;
  }
  const auto it = std::find_if(evaluations.begin(), evaluations.end(),
                               [&](const Evaluation& e) { return e.number == *evaluation; });
  return it == evaluations.end() ? nullptr : &*it;
}

std::string evaluation_label(std::string_view base_label, std::size_t number) {
  return fmt::format("{}.iter{}", base_label, number);
}

std::optional<std::size_t> best_evaluation(const Optimization& optimization) {
  const auto& evaluations = optimization.evaluations;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < evaluations.size(); ++i) {
    const auto& objective = evaluations[i].objective;
    if (evaluations[i].status == EvaluationStatus::ok && objective &&
        (!best || *objective < *evaluations[*best].objective)) {
      best = i;
    }
  }
  return best;
}

void set_best(Optimization& optimization) {
  optimization.objective.reset();
  optimization.params = nullptr;
  optimization.evaluation.reset();
  optimization.label.reset();
  if (const auto best = best_evaluation(optimization)) {
    const Evaluation& evaluation = optimization.evaluations[*best];
    optimization.objective = evaluation.objective;
    optimization.params = evaluation.params;
    optimization.evaluation = evaluation.number;
    optimization.label = evaluation.label;
  }
}

json to_json(const Optimization& optimization) {
  json doc = {
      {"schema", k_optimization_schema},
      {"project", optimization.project},
      {"commit", optimization.commit},
      {"base_label", optimization.base_label},
      {"file", optimization.file},
      {"solver", optimization.solver},
      {"seed", optimization.seed},
      {"budget", optimization.budget},
      {"parallel", optimization.parallel},
      {"objective", optimization.objective ? number(*optimization.objective) : json(nullptr)},
      {"params", optimization.params},
      {"evaluation", optimization.evaluation ? json(*optimization.evaluation) : json(nullptr)},
      {"label", optimization.label ? json(*optimization.label) : json(nullptr)}};
  doc["metrics"] = optimization.metrics;
  json search_space = json::array();
  for (const auto& dimension : optimization.search_space) {
    search_space.push_back(to_json(dimension));
  }
  doc["search_space"] = std::move(search_space);
  json evaluations = json::array();
  for (const auto& evaluation : optimization.evaluations) {
    evaluations.push_back(to_json(evaluation));
  }
  doc["evaluations"] = std::move(evaluations);
  json best_runs = json::object();
  for (const auto& [key, plain] : optimization.best_runs) {
    best_runs[key] = plain;
  }
  doc["best_runs"] = std::move(best_runs);
  return doc;
}

std::vector<std::optional<double>> best_so_far(const Optimization& optimization) {
  std::vector<std::optional<double>> result;
  std::optional<double> best;
  for (const auto& evaluation : optimization.evaluations) {
    if (evaluation.objective && (!best || *evaluation.objective < *best)) {
      best = evaluation.objective;
    }
    result.push_back(best);
  }
  return result;
}

}  // namespace qa::core
