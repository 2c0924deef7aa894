#include <qa/report/optimization_writers.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <qa/report/format.hpp>
#include <qa/util/escape.hpp>

namespace qa::report {

namespace {

using util::markdown_escape;

std::string format_objective(std::optional<double> value) {
  return value ? fmt::format("{:.6g}", *value) : std::string("-");
}

// "strength=0.61, sigma=1.4"
std::string params_text(const nlohmann::json& params) {
  std::vector<std::string> parts;
  if (params.is_object()) {
    for (const auto& [name, value] : params.items()) {
      parts.push_back(name + "=" + format_param(value));
    }
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// "12 of 40 evaluations: 10 ok, 2 failed"
std::string evaluations_sentence(const core::Optimization& optimization) {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::size_t interrupted = 0;
  for (const auto& evaluation : optimization.evaluations) {
    switch (evaluation.status) {
      case core::EvaluationStatus::ok:
        ++ok;
        break;
      case core::EvaluationStatus::failed:
        ++failed;
        break;
      case core::EvaluationStatus::interrupted:
        ++interrupted;
        break;
    }
  }
  std::string text = fmt::format("{} of {} evaluations: {} ok, {} failed",
                                 optimization.evaluations.size(), optimization.budget, ok, failed);
  if (interrupted > 0) {
    text += fmt::format(", {} interrupted", interrupted);
  }
  return text;
}

}  // namespace

std::string format_param(const nlohmann::json& value) {
  if (value.is_number_float()) {
    return fmt::format("{:.6g}", value.get<double>());
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::size_t> shown_evaluations(const core::Optimization& optimization,
                                           std::size_t max_rows) {
  const auto& evaluations = optimization.evaluations;
  std::set<std::size_t> shown;
  if (evaluations.size() <= max_rows) {
    for (std::size_t i = 0; i < evaluations.size(); ++i) {
      shown.insert(i);
    }
    return {shown.begin(), shown.end()};
  }
  std::vector<std::size_t> ok;
  for (std::size_t i = 0; i < evaluations.size(); ++i) {
    if (evaluations[i].objective) {
      ok.push_back(i);
    }
  }
  std::stable_sort(ok.begin(), ok.end(), [&](std::size_t a, std::size_t b) {
    return *evaluations[a].objective < *evaluations[b].objective;
  });
  for (std::size_t i = 0; i < ok.size() && shown.size() < max_rows / 2; ++i) {
    shown.insert(ok[i]);
  }
  for (std::size_t i = evaluations.size(); i > 0 && shown.size() < max_rows; --i) {
    shown.insert(i - 1);
  }
  return {shown.begin(), shown.end()};
}

std::string optimization_to_markdown(const core::Optimization& optimization,
                                     const core::MetricDefs& defs, std::size_t max_rows) {
  std::string out = "#### Optimization\n\n";
  if (const core::Evaluation* best = optimization.best()) {
    out += fmt::format("Best objective **{}** at evaluation {} ({}): {}.\n",
                       format_objective(optimization.objective), best->number,
                       markdown_escape(best->label),
                       markdown_escape(params_text(optimization.params)));
    out += fmt::format(
        "Its runs are compared with the reference's runs of the same batch without the searched "
        "parameters (label {}).\n",
        markdown_escape(optimization.base_label));
  } else {
    out += "No evaluation succeeded: there are no best runs to compare.\n";
  }
  out +=
      fmt::format("{}; solver {}, seed {}, {} at once; objective (minimized) over {}, from {}.\n\n",
                  evaluations_sentence(optimization), markdown_escape(optimization.solver),
                  optimization.seed, optimization.parallel,
                  markdown_escape(fmt::format("{}", fmt::join(optimization.metrics, ", "))),
                  markdown_escape(optimization.file));
  if (optimization.evaluations.empty()) {
    return out;
  }

  std::string header = "| evaluation | status | objective | best so far |";
  std::string rule = "|---|---|---|---|";
  for (const auto& dimension : optimization.search_space) {
    header += " " + markdown_escape(dimension.name) + " |";
    rule += "---|";
  }
  std::vector<core::MetricDef> metric_defs;
  for (const auto& name : optimization.metrics) {
    metric_defs.push_back(defs.get(name));
    header += " " + markdown_escape(metric_defs.back().short_label) + " |";
    rule += "---|";
  }
  out += header + " notes |\n" + rule + "---|\n";
  const auto best_so_far = core::best_so_far(optimization);
  const auto shown = shown_evaluations(optimization, max_rows);
  for (const std::size_t i : shown) {
    const core::Evaluation& evaluation = optimization.evaluations[i];
    const bool is_best = optimization.evaluation && evaluation.number == *optimization.evaluation;
    std::string row =
        fmt::format("| {}{} | {} | {} | {} |", evaluation.number, is_best ? " (best)" : "",
                    core::to_string(evaluation.status), format_objective(evaluation.objective),
                    format_objective(best_so_far[i]));
    for (const auto& dimension : optimization.search_space) {
      const auto value = evaluation.point.find(dimension.name);
      row += " " +
             (value == evaluation.point.end() ? std::string("-")
                                              : markdown_escape(format_param(*value))) +
             " |";
    }
    for (const auto& def : metric_defs) {
      const auto value = evaluation.aggregates.find(def.name);
      row += " " +
             (value == evaluation.aggregates.end()
                  ? std::string("-")
                  : markdown_escape(format_value(def, nlohmann::json(value->second)))) +
             " |";
    }
    row += " " + markdown_escape(fmt::format("{}", fmt::join(evaluation.notes, "; "))) + " |\n";
    out += row;
  }
  const std::size_t left_out = optimization.evaluations.size() - shown.size();
  if (left_out > 0) {
    out += fmt::format(
        "\n_{} more {} not shown: this table holds the {} best and the latest ones; the HTML and "
        "JSON reports have them all._\n",
        left_out, left_out == 1 ? "evaluation" : "evaluations", max_rows / 2);
  }
  return out;
}

std::string optimization_summary(const core::Optimization& optimization) {
  const core::Evaluation* best = optimization.best();
  if (best == nullptr) {
    return fmt::format("optimization: no evaluation succeeded, {}",
                       evaluations_sentence(optimization));
  }
  return fmt::format("optimization: best objective {} at evaluation {} ({}), {}; {}",
                     format_objective(optimization.objective), best->number, best->label,
                     evaluations_sentence(optimization), params_text(optimization.params));
}

}  // namespace qa::report
