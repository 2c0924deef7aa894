#include <algorithm>

#include <fmt/format.h>

#include <qa/report/format.hpp>
#include <qa/report/optimization_writers.hpp>
#include <qa/report/report_writers.hpp>
#include <qa/report/verdict.hpp>

namespace qa::report {

namespace {

using Row = std::vector<std::string>;

// Return `rows` as columns padded to the widest cell, two spaces apart.
std::string render_table(const std::vector<Row>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  return out;
}

std::string bitacc_cell(const RunComparison& run) {
  if (!run.bitacc) {
    return "-";
  }
  return std::string(to_string(run.bitacc->verdict));
}

}  // namespace

std::string report_to_text(const Comparison& comparison) {
  std::string out = verdict_title(judge(comparison)) + "\n" + headline(comparison) + "\n" +
                    counts_sentence(comparison.totals) + "\n";
  if (comparison.optimization) {
    out += optimization_summary(*comparison.optimization) + "\n";
  }
  const auto names = summary_metrics(comparison);
  std::vector<core::MetricDef> defs;
  for (const auto& name : names) {
    defs.push_back(comparison.defs.get(name));
  }

  std::vector<Row> rows;
  Row header{"verdict", "run"};
  for (const auto& def : defs) {
    header.push_back(def.short_label);
  }
  header.push_back("outputs");
  header.push_back("notes");
  rows.push_back(std::move(header));
  std::size_t unchanged = 0;
  for (const auto& run : comparison.runs) {
    if (!is_change(run)) {
      ++unchanged;
      continue;
    }
    Row row{std::string(to_string(run.verdict)), std::string(run.key)};
    for (const auto& def : defs) {
      row.push_back(metric_cell(def, run));
    }
    row.push_back(bitacc_cell(run));
    row.push_back(run_notes(comparison, run, names));
    rows.push_back(std::move(row));
  }
  if (rows.size() > 1) {
    out += "\n" + render_table(rows);
  }
  if (unchanged > 0) {
    out +=
        fmt::format("({} unchanged {} not listed)\n", unchanged, unchanged == 1 ? "run" : "runs");
  }

  std::vector<Row> aggregates{
      {"label", "config", "metric", "mean", "reference", "median", "min", "max"}};
  for (const auto& group : comparison.groups) {
    for (const auto& aggregate : group.metrics) {
      if (aggregate.value.count == 0 && aggregate.reference.count == 0) {
        continue;
      }
      const auto def = comparison.defs.get(aggregate.name);
      const auto stat = [&](const MetricStats& stats, double MetricStats::*field) {
        return stats.count == 0 ? std::string("-") : format_value(def, stats.*field);
      };
      aggregates.push_back(
          {group.label, group.config, def.short_label, stat(aggregate.value, &MetricStats::mean),
           stat(aggregate.reference, &MetricStats::mean),
           stat(aggregate.value, &MetricStats::median), stat(aggregate.value, &MetricStats::min),
           stat(aggregate.value, &MetricStats::max)});
    }
  }
  if (aggregates.size() > 1) {
    out += "\n" + render_table(aggregates);
  }
  return out;
}

}  // namespace qa::report
