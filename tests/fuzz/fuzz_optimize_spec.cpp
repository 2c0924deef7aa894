// Fuzz the optimization file parser (qa-batch --optimize FILE, QA-Board's format), then use
// what it accepts: each dimension's value at its bounds and outside them, the parameters of the
// space's centre, and the objective of a few runs.

#include <qa/core/optimize_spec.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, "optimize.yaml");
  const auto spec = qa::core::load_optimize_spec(file);
  if (!spec) {
    return 0;
  }
  std::vector<double> centre;
  for (const auto& dimension : spec->search_space.dimensions) {
    const auto bounds = qa::core::solver_bounds(dimension);
    for (const double c : {bounds.lower, bounds.upper, bounds.lower - 1e300, bounds.upper * 2}) {
      const auto value = qa::core::value_at(dimension, c);
      [[maybe_unused]] const auto back = qa::core::coordinate_of(dimension, value);
    }
    centre.push_back((bounds.lower + bounds.upper) / 2);
  }
  [[maybe_unused]] const auto params =
      qa::core::params_at(spec->search_space, centre, spec->preset_params);
  std::vector<qa::core::RunOutcome> runs(3);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].key = "run" + std::to_string(i);
    for (const auto& term : spec->objective.terms) {
      runs[i].metrics[term.metric] = static_cast<double>(i) - 1.0;
      runs[i].targets[term.metric] = static_cast<double>(i);
    }
  }
  [[maybe_unused]] const auto value =
      qa::core::evaluate_objective(spec->objective, qa::core::MetricDefs{}, runs);
  return 0;
}
