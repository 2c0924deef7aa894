#include <map>

#include <fmt/format.h>

#include <qa/report/format.hpp>
#include <qa/report/report_writers.hpp>
#include <qa/util/escape.hpp>
#include <qa/util/parallel.hpp>

namespace qa::report {

namespace {

using util::xml_escape;

struct Outcome {
  enum class Kind { passed, skipped, failure } kind = Kind::passed;
  std::string type;
  std::string message;
  std::string details;
};

std::string describe_regression(const Comparison& comparison, const MetricComparison& metric) {
  const auto def = comparison.defs.get(metric.name);
  return fmt::format("{} regressed: {} against {} ({}, tolerance {:.1f}%)", def.label,
                     format_value(def, metric.value), format_value(def, metric.reference),
                     format_delta(def, metric), def.tolerance * 100);
}

Outcome outcome_of(const Comparison& comparison, const RunComparison& run) {
  Outcome outcome;
  std::vector<std::string> reasons;
  if (run.verdict == RunVerdict::failed) {
    const auto* record = run.record;
    reasons.push_back(record->exit_code
                          ? fmt::format("the run {} (exit code {})",
                                        core::to_string(record->status), *record->exit_code)
                          : fmt::format("the run {}", core::to_string(record->status)));
  }
  for (const auto& metric : run.metrics) {
    if (metric.verdict == MetricVerdict::regression) {
      reasons.push_back(describe_regression(comparison, metric));
    }
  }
  if (run.bitacc && run.bitacc->verdict == BitaccVerdict::different) {
    std::string files;
    for (const auto& diff : run.bitacc->diffs) {
      files +=
          fmt::format("{}{} ({})", files.empty() ? "" : ", ", diff.path, to_string(diff.change));
    }
    reasons.push_back("outputs differ from the reference: " + files);
  }
  if (!reasons.empty()) {
    outcome.kind = Outcome::Kind::failure;
    outcome.type = run.verdict == RunVerdict::failed || run.verdict == RunVerdict::regression
                       ? std::string(to_string(run.verdict))
                       : std::string("bit-accuracy");
    outcome.message = reasons.front();
    for (const auto& reason : reasons) {
      outcome.details += reason + "\n";
    }
  } else if (run.verdict == RunVerdict::new_run || run.verdict == RunVerdict::missing) {
    outcome.kind = Outcome::Kind::skipped;
  }
  return outcome;
}

// The run's metrics against the reference, one per line, for <system-out>.
std::string metrics_text(const Comparison& comparison, const RunComparison& run) {
  std::string text;
  for (const auto& metric : run.metrics) {
    const auto def = comparison.defs.get(metric.name);
    text += fmt::format("{}: {} (reference {}) {} {}\n", def.label, format_value(def, metric.value),
                        format_value(def, metric.reference), format_delta(def, metric),
                        to_string(metric.verdict));
  }
  return text;
}

}  // namespace

std::string report_to_junit(const Comparison& comparison) {
  std::map<std::string, std::vector<const RunComparison*>> suites;
  for (const auto& run : comparison.runs) {
    suites[run.label].push_back(&run);
  }
  std::string body;
  std::size_t total_failures = 0;
  double total_time = 0;
  for (const auto& [label, runs] : suites) {
    // Testcases are written in parallel (each is independent), then joined in order.
    std::vector<std::string> texts(runs.size());
    std::vector<Outcome::Kind> kinds(runs.size());
    util::parallel_for(runs.size(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const RunComparison& run = *runs[i];
        const Outcome outcome = outcome_of(comparison, run);
        kinds[i] = outcome.kind;
        const double wall = run.record != nullptr ? run.record->timing.wall_s : 0;
        std::string& text = texts[i];
        text = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                           xml_escape(run.config), xml_escape(run.input), wall);
        if (outcome.kind == Outcome::Kind::skipped) {
          text += "      <skipped/>\n";
        } else if (outcome.kind == Outcome::Kind::failure) {
          text +=
              fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                          xml_escape(outcome.message), outcome.type, xml_escape(outcome.details));
        }
        if (const std::string metrics = metrics_text(comparison, run); !metrics.empty()) {
          text += fmt::format("      <system-out>{}</system-out>\n", xml_escape(metrics));
        }
        text += "    </testcase>\n";
      }
    });
    std::size_t failures = 0;
    std::size_t skipped = 0;
    double time = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      failures += kinds[i] == Outcome::Kind::failure;
      skipped += kinds[i] == Outcome::Kind::skipped;
      time += runs[i]->record != nullptr ? runs[i]->record->timing.wall_s : 0;
    }
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
        "skipped=\"{}\" time=\"{:.3f}\">\n",
        xml_escape(label), runs.size(), failures, skipped, time);
    // Each testcase is released once copied: 100,000 of them are tens of megabytes.
    for (auto& text : texts) {
      body += text;
      std::string().swap(text);
    }
    body += "  </testsuite>\n";
    total_failures += failures;
    total_time += time;
  }
  body.insert(0, fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<testsuites name=\"qa-report\" tests=\"{}\" failures=\"{}\" "
                             "errors=\"0\" time=\"{:.3f}\">\n",
                             comparison.runs.size(), total_failures, total_time));
  body += "</testsuites>\n";
  return body;
}

}  // namespace qa::report
