#include <qa/report/format.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace qa::report {

namespace {

// "850 ms", "2.31 s", "4 min 5 s", "1 h 2 min".
std::string human_seconds(double seconds) {
  const char* sign = seconds < 0 ? "-" : "";
  const double s = std::fabs(seconds);
  if (s < 1) {
    return fmt::format("{}{:.{}f} ms", sign, s * 1000, s < 0.01 ? 2 : 0);
  }
  if (s < 60) {
    return fmt::format("{}{:.{}f} s", sign, s, s < 10 ? 2 : 1);
  }
  if (s < 3600) {
    return fmt::format("{}{:.0f} min {:.0f} s", sign, std::floor(s / 60),
                       std::round(std::fmod(s, 60)));
  }
  return fmt::format("{}{:.0f} h {:.0f} min", sign, std::floor(s / 3600),
                     std::round(std::fmod(s, 3600) / 60));
}

// "512 KiB", "120 MiB", "1.50 GiB".
std::string human_mebibytes(double mebibytes) {
  const char* sign = mebibytes < 0 ? "-" : "";
  const double m = std::fabs(mebibytes);
  if (m < 1) {
    return fmt::format("{}{:.0f} KiB", sign, m * 1024);
  }
  if (m < 1024) {
    return fmt::format("{}{:.{}f} MiB", sign, m, m < 10 ? 1 : 0);
  }
  return fmt::format("{}{:.2f} GiB", sign, m / 1024);
}

// qatools' own measures in human units, unless the metrics file declares them (with its own).
std::string (*human_unit(const core::MetricDef& def))(double) {
  if (def.declared) {
    return nullptr;
  }
  if (def.name == "compute_time") {
    return human_seconds;
  }
  if (def.name == "peak_rss_mb") {
    return human_mebibytes;
  }
  return nullptr;
}

}  // namespace

std::string format_value(const core::MetricDef& def, const nlohmann::json& value) {
  if (value.is_null()) {
    return "-";
  }
  if (value.is_number()) {
    if (const auto human = human_unit(def)) {
      return human(value.get<double>());
    }
    return fmt::format("{:.{}f}{}", value.get<double>() * def.scale, def.precision, def.suffix);
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.dump();
}

std::string format_delta(const core::MetricDef& def, const MetricComparison& metric) {
  if (!metric.delta || *metric.delta == 0) {
    return {};
  }
  const auto human = human_unit(def);
  std::string text = human != nullptr
                         ? (*metric.delta > 0 ? "+" : "") + human(*metric.delta)
                         : fmt::format("{:+.{}f}", *metric.delta * def.scale, def.precision);
  if (metric.relative) {
    text += fmt::format(" ({:+.1f}%)", *metric.relative * 100);
  }
  return text;
}

const MetricComparison* find_metric(const RunComparison& run, std::string_view name) {
  const auto it = std::find_if(run.metrics.begin(), run.metrics.end(),
                               [&](const MetricComparison& m) { return m.name == name; });
  return it == run.metrics.end() ? nullptr : &*it;
}

std::string metric_cell(const core::MetricDef& def, const RunComparison& run) {
  const MetricComparison* metric = find_metric(run, def.name);
  if (metric == nullptr) {
    return "-";
  }
  std::string cell = format_value(def, metric->value);
  if (const std::string delta = format_delta(def, *metric); !delta.empty()) {
    cell += " " + delta;
  }
  return cell;
}

std::string short_commit(std::string_view commit) {
  if (commit.empty()) {
    return "none";
  }
  return std::string(commit.substr(0, 12));
}

std::vector<std::string> summary_metrics(const Comparison& comparison, std::size_t limit) {
  if (!comparison.defs.main().empty()) {
    return comparison.defs.main();
  }
  std::vector<std::string> names;
  for (const auto& name : comparison.metric_order) {
    if (names.size() == limit) {
      break;
    }
    if (!core::is_builtin_metric(name)) {
      names.push_back(name);
    }
  }
  return names;
}

std::string run_notes(const Comparison& comparison, const RunComparison& run,
                      const std::vector<std::string>& shown) {
  std::vector<std::string> notes;
  if (run.verdict == RunVerdict::failed && run.record != nullptr) {
    notes.push_back(run.record->exit_code
                        ? fmt::format("{}, exit code {}", core::to_string(run.record->status),
                                      *run.record->exit_code)
                        : std::string(core::to_string(run.record->status)));
  }
  for (const auto& metric : run.metrics) {
    const bool notable = metric.verdict == MetricVerdict::regression ||
                         metric.verdict == MetricVerdict::worse ||
                         metric.verdict == MetricVerdict::missing;
    if (!notable || metric.informational ||
        std::find(shown.begin(), shown.end(), metric.name) != shown.end()) {
      continue;
    }
    const auto def = comparison.defs.get(metric.name);
    notes.push_back(metric.verdict == MetricVerdict::missing
                        ? fmt::format("{} missing", def.short_label)
                        : fmt::format("{} {} {}", def.short_label, format_delta(def, metric),
                                      to_string(metric.verdict)));
  }
  return fmt::format("{}", fmt::join(notes, "; "));
}

std::string headline(const Comparison& comparison) {
  std::string line = fmt::format("{} {}", comparison.project, short_commit(comparison.commit));
  if (comparison.branch) {
    line += fmt::format(" ({})", *comparison.branch);
  }
  const auto& reference = comparison.reference;
  const auto commit = reference.value("commit", nlohmann::json(nullptr));
  if (commit.is_string() && !commit.get<std::string>().empty()) {
    line += fmt::format(" against {}", short_commit(commit.get<std::string>()));
  } else {
    line += " without reference";
  }
  const std::string reason = reference.value("reason", std::string());
  if (!reason.empty()) {
    line += ": " + reason;
  }
  return line;
}

std::string counts_sentence(const Counts& counts) {
  std::string text = fmt::format("{} runs", counts.runs);
  std::vector<std::string> parts;
  const auto add = [&](std::size_t count, std::string_view what) {
    if (count > 0) {
      parts.push_back(fmt::format("{} {}", count, what));
    }
  };
  add(counts.failed, "failed");
  add(counts.regressions, counts.regressions == 1 ? "regression" : "regressions");
  add(counts.missing, "missing");
  add(counts.worse, "worse");
  add(counts.better, "better");
  add(counts.unchanged, "unchanged");
  add(counts.new_runs, "new");
  if (!parts.empty()) {
    text += ": " + fmt::format("{}", fmt::join(parts, ", "));
  }
  if (counts.bit_different + counts.bit_identical > 0) {
    text += fmt::format("; outputs {} identical, {} different", counts.bit_identical,
                        counts.bit_different);
  }
  return text;
}

}  // namespace qa::report
