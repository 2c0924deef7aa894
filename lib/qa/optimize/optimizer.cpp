// The only file that includes dlib: its headers take seconds to compile.
#include <qa/optimize/optimizer.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <exception>
#include <limits>
#include <random>
#include <set>
#include <string>

#include <dlib/global_optimization/global_function_search.h>

namespace qa::optimize {

using nlohmann::json;

namespace {

using Column = dlib::matrix<double, 0, 1>;

// How many proposals ask() tries before it concludes that the solver only has points that
// were already asked.
constexpr int k_attempts = 20;

// One asked point: what callers see, and the solver's side of it.
struct Slot {
  Evaluation evaluation;
  std::vector<double> x;  // the solver's point: one coordinate per free dimension
  std::optional<dlib::function_evaluation_request> request;  // a point dlib asked
};

}  // namespace

struct Optimizer::Impl {
  core::SearchSpace space;
  json preset;
  OptimizerOptions options;
  std::vector<std::size_t> solver_dims;    // the dimensions the solver sees (not fixed)
  std::vector<core::SolverBounds> bounds;  // of the free dimensions
  std::vector<Slot> slots;
  std::set<std::string> seen;  // the parameters of every point asked
  std::size_t applied = 0;     // slots[0 .. applied) have their result, known to the solver
  std::mt19937_64 rng;
  std::optional<dlib::global_function_search> search;
  // Over the successes the solver knows, in its terms (it maximizes -objective).
  std::optional<double> worst_y;

  [[nodiscard]] std::size_t initial_points() const {
    if (options.initial_points > 0) {
      return options.initial_points;
    }
    return std::max({std::size_t{3}, solver_dims.size() + 1, options.parallel});
  }

  [[nodiscard]] double draw_unit() {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1), the same on every platform
  }

  // The solver's own coordinates: Real (and log-uniform) dimensions scaled onto [0, 1], so that
  // the trust region is round whatever their units; Integer and Categorical ones as they are
  // (dlib needs whole-numbered bounds for them).
  [[nodiscard]] double solver_lower(std::size_t i) const {
    return bounds[i].is_integer ? bounds[i].lower : 0.0;
  }
  [[nodiscard]] double solver_upper(std::size_t i) const {
    return bounds[i].is_integer ? bounds[i].upper : 1.0;
  }

  [[nodiscard]] std::vector<double> random_point() {
    std::vector<double> x;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      const double u = draw_unit();
      const double lower = solver_lower(i);
      const double span = solver_upper(i) - lower;
      x.push_back(bounds[i].is_integer ? std::min(lower + span, lower + std::floor(u * (span + 1)))
                                       : u);
    }
    return x;
  }

  [[nodiscard]] std::vector<double> centre_point() const {
    std::vector<double> x;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      const double c = (solver_lower(i) + solver_upper(i)) / 2;
      x.push_back(bounds[i].is_integer ? std::round(c) : c);
    }
    return x;
  }

  // The coordinates (core::value_at) of every dimension for the solver's point `x`.
  [[nodiscard]] std::vector<double> coordinates_of(const std::vector<double>& x) const {
    std::vector<double> all(space.dimensions.size(), 0.0);
    for (std::size_t i = 0; i < solver_dims.size(); ++i) {
      const auto& b = bounds[i];
      // lower + x * (upper - lower), without overflowing for bounds near the largest double
      all[solver_dims[i]] = b.is_integer ? x[i] : b.lower * (1 - x[i]) + b.upper * x[i];
    }
    return all;
  }

  // What a failed evaluation tells the solver: the worst objective of the successes it knows.
  // Not worse than that: dlib's model bounds the objective by its Lipschitz constant, and a
  // value far below every success near a good point makes that constant, and so the model,
  // useless (measured: 0.46 instead of 0.06 after 40 evaluations with a failing half-plane).
  // Not left out either: a region that fails beside the best point is then asked again and
  // again (4.8 instead of 0.004).
  [[nodiscard]] double penalty() const { return *worst_y; }

  void note_success(double y) { worst_y = worst_y ? std::min(*worst_y, y) : y; }

  [[nodiscard]] bool any_success() const {
    return std::any_of(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(applied),
                       [](const Slot& slot) { return slot.evaluation.objective.has_value(); });
  }

  // Return how many points, from the first one asked, have their result.
  [[nodiscard]] std::size_t told_prefix() const {
    std::size_t count = 0;
    while (count < slots.size() && slots[count].evaluation.told) {
      ++count;
    }
    return count;
  }

  // Give the solver the results of slots[0 .. count), which have all arrived, in order.
  void apply_through(std::size_t count) {
    for (; applied < count; ++applied) {
      Slot& slot = slots[applied];
      const auto& objective = slot.evaluation.objective;
      if (objective) {
        note_success(-*objective);
      }
      if (slot.request) {
        // A dlib point: the search was built after a success, so a penalty is defined.
        slot.request->set(objective ? -*objective : penalty());
        slot.request.reset();
      }
    }
  }

  // Build dlib's search from the initial design, once every point of it has its result.
  void start_search() {
    Column lower(static_cast<long>(solver_dims.size()));
    Column upper(static_cast<long>(solver_dims.size()));
    std::vector<bool> is_integer;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      lower(static_cast<long>(i)) = solver_lower(i);
      upper(static_cast<long>(i)) = solver_upper(i);
      is_integer.push_back(bounds[i].is_integer);
    }
    std::vector<dlib::function_evaluation> known;
    for (const auto& slot : slots) {
      Column x(static_cast<long>(slot.x.size()));
      for (std::size_t i = 0; i < slot.x.size(); ++i) {
        x(static_cast<long>(i)) = slot.x[i];
      }
      const auto& objective = slot.evaluation.objective;
      known.emplace_back(x, objective ? -*objective : penalty());
    }
    search.emplace(std::vector<dlib::function_spec>{dlib::function_spec(lower, upper, is_integer)},
                   std::vector<std::vector<dlib::function_evaluation>>{known});
    search->set_seed(static_cast<time_t>(options.seed));
  }

  // A candidate point: its solver coordinates and, from dlib, its request.
  struct Proposal {
    std::vector<double> x;
    std::optional<dlib::function_evaluation_request> request;
  };

  [[nodiscard]] Proposal propose() {
    if (options.strategy == Strategy::random || solver_dims.empty()) {
      return Proposal{random_point(), std::nullopt};
    }
    if (!search) {
      if (slots.size() < initial_points()) {
        return Proposal{slots.empty() ? centre_point() : random_point(), std::nullopt};
      }
      // ask() applied every result so far.
      if (!any_success()) {
        return Proposal{random_point(), std::nullopt};  // nothing to model yet
      }
      start_search();
    }
    auto request = search->get_next_x();
    std::vector<double> x;
    for (long i = 0; i < request.x().size(); ++i) {
      x.push_back(request.x()(i));
    }
    return Proposal{std::move(x), std::move(request)};
  }

  [[nodiscard]] std::size_t waiting() const {
    return static_cast<std::size_t>(std::count_if(
        slots.begin(), slots.end(), [](const Slot& slot) { return !slot.evaluation.told; }));
  }

  // Point n is proposed from the results of points 0 .. n - parallel, never more, so that the
  // points do not depend on when results arrive; building dlib's search, after the initial
  // design, takes every result so far.
  Expected<Asked> ask() {
    const std::size_t n = slots.size();
    if (n >= options.evaluations) {
      return Asked{AskStatus::done, {}};
    }
    const bool starting = options.strategy == Strategy::global_search && !solver_dims.empty() &&
                          !search && n >= initial_points();
    const std::size_t required =
        starting ? n : (n + 1 > options.parallel ? n + 1 - options.parallel : 0);
    if (told_prefix() < required) {
      return Asked{AskStatus::wait, {}};
    }
    apply_through(required);
    for (int attempt = 0; attempt < k_attempts; ++attempt) {
      auto proposal = propose();
      Trial trial;
      trial.index = slots.size();
      trial.coordinates = coordinates_of(proposal.x);
      trial.params = core::params_at(space, trial.coordinates, preset);
      if (!seen.insert(trial.params.dump()).second) {
        continue;  // asked before: the request, if any, leaves dlib's outstanding list
      }
      Slot slot;
      slot.evaluation.trial = trial;
      slot.x = std::move(proposal.x);
      slot.request = std::move(proposal.request);
      slots.push_back(std::move(slot));
      return Asked{AskStatus::trial, std::move(trial)};
    }
    return Asked{waiting() > 0 ? AskStatus::wait : AskStatus::done, {}};
  }

  Expected<void> record(std::size_t index, std::optional<double> objective) {
    if (index >= slots.size()) {
      return fail("optimizer: point {} was never asked", index);
    }
    Evaluation& evaluation = slots[index].evaluation;
    if (evaluation.told) {
      return fail("optimizer: point {} already has its result", index);
    }
    evaluation.told = true;
    if (objective && std::isfinite(*objective)) {
      evaluation.objective = objective;
    }
    return {};
  }
};

Optimizer::Optimizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Optimizer::Optimizer(Optimizer&& other) noexcept = default;
Optimizer& Optimizer::operator=(Optimizer&& other) noexcept = default;
Optimizer::~Optimizer() = default;

Expected<Optimizer> Optimizer::create(core::SearchSpace space, json preset,
                                      OptimizerOptions options) {
  if (space.dimensions.empty()) {
    return fail_as(ErrorKind::config, "optimizer: the search space has no dimension");
  }
  if (options.evaluations < 1 || options.parallel < 1) {
    return fail_as(ErrorKind::usage, "optimizer: the budget and parallelism must be at least 1");
  }
  auto impl = std::make_unique<Impl>();
  for (std::size_t i = 0; i < space.dimensions.size(); ++i) {
    if (!core::is_fixed(space.dimensions[i])) {
      impl->solver_dims.push_back(i);
      impl->bounds.push_back(core::solver_bounds(space.dimensions[i]));
    }
  }
  impl->space = std::move(space);
  impl->preset = preset.is_object() ? std::move(preset) : json::object();
  impl->options = options;
  impl->rng.seed(options.seed);
  return Optimizer(std::move(impl));
}

Expected<Asked> Optimizer::ask() {
  try {
    return m_impl->ask();
  } catch (const std::exception& e) {  // dlib reports a broken precondition by throwing
    return fail("optimizer: the solver failed: {}", e.what());
  }
}

Expected<void> Optimizer::tell(std::size_t index, double objective) {
  try {
    return m_impl->record(index, objective);
  } catch (const std::exception& e) {
    return fail("optimizer: the solver failed: {}", e.what());
  }
}

Expected<void> Optimizer::tell_failed(std::size_t index) {
  try {
    return m_impl->record(index, std::nullopt);
  } catch (const std::exception& e) {
    return fail("optimizer: the solver failed: {}", e.what());
  }
}

std::optional<Best> Optimizer::best() const {
  std::optional<Best> best;
  for (const auto& slot : m_impl->slots) {
    const auto& evaluation = slot.evaluation;
    if (evaluation.objective && (!best || *evaluation.objective < best->objective)) {
      best = Best{evaluation.trial.index, evaluation.trial.params, *evaluation.objective};
    }
  }
  return best;
}

std::vector<Evaluation> Optimizer::evaluations() const {
  std::vector<Evaluation> out;
  for (const auto& slot : m_impl->slots) {
    out.push_back(slot.evaluation);
  }
  return out;
}

std::size_t Optimizer::asked() const { return m_impl->slots.size(); }

std::size_t Optimizer::in_flight() const { return m_impl->waiting(); }

}  // namespace qa::optimize
