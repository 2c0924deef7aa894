#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/search_space.hpp>
#include <qa/util/error.hpp>

namespace qa::optimize {

// The search of `qa-batch --optimize`: which point of a search space to evaluate next, given
// the objectives of the points evaluated so far (ask/tell). It minimizes.
//
// Strategy::global_search is dlib's global_function_search (a Lipschitz upper bound of the
// objective for global exploration, alternating with quadratic trust-region steps around the
// best point), after an initial design: the centre of the space, then points drawn at random
// (`initial_points` in all, default max(3, free dimensions + 1, parallel)). Strategy::random
// draws every point at random: the baseline the global search is measured against.
//
// Dimensions map onto the solver as core::solver_bounds says: Integer and Categorical are
// integer coordinates (a Categorical's is the index of its category), log-uniform ones are
// searched in log space, a Categorical of one category is no coordinate at all. Real ones
// (log-uniform Integers included) are scaled onto [0, 1] for the solver, so that its trust
// region does not depend on their units.
//
// Reproducible: with the same seed, space and results, the same points are asked, whatever
// the order in which their evaluations finish. For that, results reach the solver in the order
// the points were asked, and point n is handed out only once the results of points 0 .. n -
// parallel have arrived (so at most `parallel` points are ever in flight). A rerun that finds
// its earlier evaluations stored and tells them at once therefore replays the same search: that
// is how a search resumes.
//
// A point whose parameters were already asked is never asked again (small discrete spaces run
// out of points: ask() then says done). A failed evaluation (tell_failed) counts against the
// budget and reaches the solver as a bad value: the worst objective seen so far; failures before
// any success wait for one.
//
// Not thread-safe: one thread asks and tells.

enum class Strategy { global_search, random };

struct OptimizerOptions {
  std::size_t evaluations = 1;  // the budget: points asked at most, >= 1
  std::size_t parallel = 1;     // points in flight at most, >= 1
  std::uint64_t seed = 42;
  std::size_t initial_points = 0;  // 0: the default above
  Strategy strategy = Strategy::global_search;
};

struct Trial {
  std::size_t index = 0;            // 0-based, in the order asked
  nlohmann::json params;            // the preset parameters with the point's values
  std::vector<double> coordinates;  // one per dimension of the space (core::value_at)
};

enum class AskStatus {
  trial,  // `trial` is the next point to evaluate
  wait,   // tell a result first (too many in flight, or the solver needs a result)
  done,   // the budget is spent, or every point of the space was asked
};

struct Asked {
  AskStatus status = AskStatus::done;
  Trial trial;
};

struct Evaluation {
  Trial trial;
  bool told = false;                // a result arrived
  std::optional<double> objective;  // told and not failed
};

struct Best {
  std::size_t index = 0;
  nlohmann::json params;
  double objective = 0;
};

class Optimizer {
 public:
  // Return a search of `space` (at least one dimension) whose points carry `preset` under
  // their values; an error when `options` is out of range.
  [[nodiscard]] static Expected<Optimizer> create(core::SearchSpace space, nlohmann::json preset,
                                                  OptimizerOptions options);

  Optimizer(Optimizer&& other) noexcept;
  Optimizer& operator=(Optimizer&& other) noexcept;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  ~Optimizer();

  // Return the next point to evaluate, or why there is none now (see AskStatus). An error only
  // when the solver fails.
  [[nodiscard]] Expected<Asked> ask();

  // Give the objective `objective` of the point `index` (a non-finite value counts as a
  // failure). An error when `index` was not asked or already has its result.
  [[nodiscard]] Expected<void> tell(std::size_t index, double objective);

  // Say that the evaluation of the point `index` failed.
  [[nodiscard]] Expected<void> tell_failed(std::size_t index);

  // Return the point with the lowest objective so far (the first one asked among equals), or
  // nothing before a success.
  [[nodiscard]] std::optional<Best> best() const;

  // Return every point asked so far, in order, with its result.
  [[nodiscard]] std::vector<Evaluation> evaluations() const;

  // Return how many points were asked, and how many of them still wait for their result.
  [[nodiscard]] std::size_t asked() const;
  [[nodiscard]] std::size_t in_flight() const;

 private:
  struct Impl;
  explicit Optimizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace qa::optimize
