#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

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

// Whether `run` is a failure (it failed, a metric regressed, its outputs differ), skipped (new or
// missing) or passed.
Outcome::Kind kind_of(const RunComparison& run) {
  const bool failure = run.verdict == RunVerdict::failed ||
                       std::any_of(run.metrics.begin(), run.metrics.end(),
                                   [](const MetricComparison& metric) {
                                     return metric.verdict == MetricVerdict::regression;
                                   }) ||
                       (run.bitacc && run.bitacc->verdict == BitaccVerdict::different);
  if (failure) {
    return Outcome::Kind::failure;
  }
  return run.verdict == RunVerdict::new_run || run.verdict == RunVerdict::missing
             ? Outcome::Kind::skipped
             : Outcome::Kind::passed;
}

// The kind of `run` and, for a failure, its reasons.
Outcome outcome_of(const Comparison& comparison, const RunComparison& run) {
  Outcome outcome;
  outcome.kind = kind_of(run);
  if (outcome.kind != Outcome::Kind::failure) {
    return outcome;
  }
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
  outcome.type = run.verdict == RunVerdict::failed || run.verdict == RunVerdict::regression
                     ? std::string(to_string(run.verdict))
                     : std::string("bit-accuracy");
  outcome.message = reasons.front();
  for (const auto& reason : reasons) {
    outcome.details += reason + "\n";
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

// The seconds a run took in this pipeline: none for a missing run or one the run cache answered
// (its timing is that of the run whose outputs it reuses).
double seconds_of(const RunComparison& run) {
  if (run.record == nullptr || run.record->status == core::RunStatus::cached) {
    return 0;
  }
  return run.record->timing.wall_s;
}

std::string testcase_text(const Comparison& comparison, const RunComparison& run) {
  const Outcome outcome = outcome_of(comparison, run);
  const double wall = seconds_of(run);
  std::string text = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                                 xml_escape(run.config), xml_escape(run.input), wall);
  if (outcome.kind == Outcome::Kind::skipped) {
    text += "      <skipped/>\n";
  } else if (outcome.kind == Outcome::Kind::failure) {
    text += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                        xml_escape(outcome.message), outcome.type, xml_escape(outcome.details));
  }
  std::string out = metrics_text(comparison, run);
  if (run.record != nullptr && run.record->status == core::RunStatus::cached) {
    out = fmt::format("cached: the outputs of commit {}, nothing ran\n{}", run.record->cached_from,
                      out);
  }
  if (!out.empty()) {
    text += fmt::format("      <system-out>{}</system-out>\n", xml_escape(out));
  }
  text += "    </testcase>\n";
  return text;
}

struct Suite {
  std::vector<const RunComparison*> runs;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  double time = 0;
};

}  // namespace

void write_report_junit(const Comparison& comparison,
                        const std::function<void(std::string_view)>& sink) {
  std::map<std::string, Suite> suites;
  for (const auto& run : comparison.runs) {
    suites[std::string(run.label)].runs.push_back(&run);
  }
  // The totals head the document: counted first, then the testcases are written.
  std::size_t total_failures = 0;
  double total_time = 0;
  for (auto& [label, suite] : suites) {
    for (const auto* run : suite.runs) {
      const auto kind = kind_of(*run);
      suite.failures += kind == Outcome::Kind::failure;
      suite.skipped += kind == Outcome::Kind::skipped;
      suite.time += seconds_of(*run);
    }
    total_failures += suite.failures;
    total_time += suite.time;
  }
  sink(
      fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"qa-report\" tests=\"{}\" failures=\"{}\" "
                  "errors=\"0\" time=\"{:.3f}\">\n",
                  comparison.runs.size(), total_failures, total_time));
  // Testcases are formatted in parallel (each is independent) a chunk at a time, then passed on
  // in order: 100,000 of them are tens of megabytes, never held at once.
  constexpr std::size_t k_chunk = 1024;
  std::vector<std::string> texts;  // a worker's range of testcases, at the range's first index
  for (const auto& [label, suite] : suites) {
    sink(fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
        "skipped=\"{}\" time=\"{:.3f}\">\n",
        xml_escape(label), suite.runs.size(), suite.failures, suite.skipped, suite.time));
    for (std::size_t start = 0; start < suite.runs.size(); start += k_chunk) {
      const std::size_t count = std::min(k_chunk, suite.runs.size() - start);
      texts.assign(count, std::string());
      util::parallel_for(count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          texts[begin] += testcase_text(comparison, *suite.runs[start + i]);
        }
      });
      for (const auto& text : texts) {
        if (!text.empty()) {
          sink(text);
        }
      }
    }
    sink("  </testsuite>\n");
  }
  sink("</testsuites>\n");
}

std::string report_to_junit(const Comparison& comparison) {
  std::string out;
  write_report_junit(comparison, [&out](std::string_view piece) { out += piece; });
  return out;
}

}  // namespace qa::report
