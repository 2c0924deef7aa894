#include <fmt/format.h>

#include <qa/report/report_writers.hpp>

namespace qa::report {

namespace {

// Return `name` as an OpenMetrics metric name part: [a-zA-Z0-9_], other characters as `_`.
std::string metric_name(std::string_view name) {
  std::string out;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += ok ? c : '_';
  }
  return out;
}

// Return `value` escaped for a label value: `\`, `"` and newlines.
std::string label_value(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string labels(const Group& group) {
  return fmt::format("label=\"{}\",config=\"{}\"", label_value(group.label),
                     label_value(group.config));
}

}  // namespace

std::string report_to_openmetrics(const Comparison& comparison) {
  std::string out;
  out += "# TYPE qa_runs gauge\n# HELP qa_runs Runs by status, per label and config.\n";
  for (const auto& group : comparison.groups) {
    const auto& counts = group.counts;
    for (const auto& [status, count] :
         {std::pair<const char*, std::size_t>{"ok", counts.ok}, {"failed", counts.failed},
          {"missing", counts.missing}, {"regression", counts.regressions}}) {
      out += fmt::format("qa_runs{{{},status=\"{}\"}} {}\n", labels(group), status, count);
    }
  }
  for (const auto& name : comparison.metric_order) {
    for (const auto& [stat, field] : {std::pair{"mean", &MetricStats::mean},
                                      std::pair{"median", &MetricStats::median}}) {
      std::string lines;
      for (const auto& group : comparison.groups) {
        for (const auto& aggregate : group.metrics) {
          if (aggregate.name == name && aggregate.value.count > 0) {
            lines += fmt::format("qa_{}_{}{{{}}} {}\n", metric_name(name), stat, labels(group),
                                 aggregate.value.*field);
          }
        }
      }
      if (!lines.empty()) {
        const std::string family = fmt::format("qa_{}_{}", metric_name(name), stat);
        out += fmt::format("# TYPE {} gauge\n# HELP {} The {} of {} over the inputs.\n", family,
                           family, stat, label_value(name));
        out += lines;
      }
    }
  }
  out += "# EOF\n";
  return out;
}

}  // namespace qa::report
