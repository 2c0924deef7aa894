#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/metric_defs.hpp>
#include <qa/core/optimization.hpp>

namespace qa::report {

// The Markdown section of an optimization (`qa-report --optimization`), which the summary puts
// after its headline: "#### Optimization", the best objective with its evaluation, label and
// parameters, the evaluations ok, failed and interrupted of the budget, the solver and seed;
// then a table of evaluations (evaluation, status, objective, best so far, each searched
// parameter, each aggregate formatted by `defs`, notes) of at most `max_rows` rows: all of them
// when they fit, else the max_rows / 2 best and the latest ones, in evaluation order, with a
// sentence saying how many are left out. Every string of the document is escaped.
inline constexpr std::size_t k_optimization_rows = 20;
[[nodiscard]] std::string optimization_to_markdown(const core::Optimization& optimization,
                                                   const core::MetricDefs& defs,
                                                   std::size_t max_rows = k_optimization_rows);

// Return the optimization in one line for a terminal: "optimization: best objective -31.9 at
// evaluation 7 (default.iter7), 12 of 40 evaluations: 10 ok, 2 failed; strength=0.61, sigma=1.4".
[[nodiscard]] std::string optimization_summary(const core::Optimization& optimization);

// Return the positions in `optimization.evaluations` of the rows that a table of at most
// `max_rows` rows shows (see optimization_to_markdown), in increasing order.
[[nodiscard]] std::vector<std::size_t> shown_evaluations(const core::Optimization& optimization,
                                                         std::size_t max_rows);

// Return a parameter value as tables show it: numbers with up to 6 significant digits, strings
// as they are, anything else as JSON.
[[nodiscard]] std::string format_param(const nlohmann::json& value);

}  // namespace qa::report
