#include <qa/report/verdict.hpp>

#include <qa/report/format.hpp>

#include <fmt/format.h>

#include <vector>

namespace qa::report {

std::string_view gate_description(Gate gate) {
  switch (gate) {
    case Gate::failed:
      return "failed runs";
    case Gate::regression:
      return "failed runs and regressions";
    case Gate::never:
      return "none";
  }
  return "";
}

namespace {

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

// "1%", "0.5%": a relative tolerance as people write it.
std::string percent(double fraction) { return fmt::format("{:g}%", fraction * 100); }

std::string metric_phrase(const core::MetricDef& def, const MetricComparison& metric) {
  if (metric.verdict == MetricVerdict::missing) {
    return fmt::format("{} missing", def.short_label);
  }
  std::string phrase = fmt::format("{} {}", def.short_label, format_delta(def, metric));
  if (metric.verdict == MetricVerdict::regression) {
    phrase += def.tolerance > 0 ? fmt::format(" beyond its tolerance of {}", percent(def.tolerance))
                                : std::string(" with no tolerance");
  } else if (metric.verdict == MetricVerdict::worse) {
    phrase += fmt::format(" within its tolerance of {}", percent(def.tolerance));
  }
  return phrase;
}

// Return the phrases of the metrics of `run` whose verdict `wanted` accepts, at most three.
template <typename Wanted>
std::string metric_phrases(const core::MetricDefs& defs, const RunComparison& run, Wanted wanted) {
  constexpr std::size_t k_named = 3;
  std::vector<std::string> phrases;
  std::size_t more = 0;
  for (const auto& metric : run.metrics) {
    if (metric.informational || !wanted(metric.verdict)) {
      continue;
    }
    if (phrases.size() == k_named) {
      ++more;
      continue;
    }
    phrases.push_back(metric_phrase(defs.get(metric.name), metric));
  }
  std::string text = fmt::format("{}", fmt::join(phrases, "; "));
  if (more > 0) {
    text += fmt::format("; and {} more", more);
  }
  return text;
}

}  // namespace

std::optional<Gate> parse_gate(std::string_view name) {
  if (name == "failed") {
    return Gate::failed;
  }
  if (name == "regression") {
    return Gate::regression;
  }
  if (name == "never") {
    return Gate::never;
  }
  return std::nullopt;
}

std::string_view to_string(Gate gate) {
  switch (gate) {
    case Gate::failed:
      return "failed";
    case Gate::regression:
      return "regression";
    case Gate::never:
      return "never";
  }
  return "";
}

Verdict judge(const Comparison& comparison) {
  const auto& totals = comparison.totals;
  Verdict verdict;
  verdict.gate = comparison.gate;
  if (comparison.gate == Gate::never) {
    verdict.why = "not gated (--fail-on never)";
    return verdict;
  }
  std::vector<std::string> reasons;
  if (totals.failed > 0) {
    reasons.push_back(plural(totals.failed, "run failed", "runs failed"));
  }
  if (comparison.gate == Gate::regression && totals.regressions > 0) {
    reasons.push_back(plural(totals.regressions, "regression", "regressions"));
  }
  verdict.passed = reasons.empty();
  verdict.why = reasons.empty()
                    ? std::string(comparison.gate == Gate::regression ? "no run failed or regressed"
                                                                      : "no run failed")
                    : fmt::format("{}", fmt::join(reasons, ", "));
  return verdict;
}

std::string verdict_title(const Verdict& verdict) {
  return fmt::format("{}: {} (gate: {})", verdict.passed ? "passed" : "failed", verdict.why,
                     gate_description(verdict.gate));
}

std::string explain(const core::MetricDefs& defs, const RunComparison& run) {
  switch (run.verdict) {
    case RunVerdict::failed:
      if (run.record == nullptr) {
        return "";
      }
      return run.record->exit_code
                 ? fmt::format("status {}, exit code {}", core::to_string(run.record->status),
                               *run.record->exit_code)
                 : fmt::format("status {}", core::to_string(run.record->status));
    case RunVerdict::missing:
      return "the reference has this run, this commit does not";
    case RunVerdict::new_run:
      return "no reference run";
    case RunVerdict::unchanged:
      return "";
    case RunVerdict::regression:
      return metric_phrases(defs, run,
                            [](MetricVerdict v) { return v == MetricVerdict::regression; });
    case RunVerdict::worse:
      return metric_phrases(defs, run, [](MetricVerdict v) {
        return v == MetricVerdict::worse || v == MetricVerdict::missing;
      });
    case RunVerdict::better:
      if (run.reference != nullptr && !core::succeeded(run.reference->status)) {
        return fmt::format("the reference run {}, this one succeeded",
                           core::to_string(run.reference->status));
      }
      return metric_phrases(defs, run, [](MetricVerdict v) { return v == MetricVerdict::better; });
  }
  return "";
}

}  // namespace qa::report
