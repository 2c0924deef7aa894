#include <qa/runner/optimization.hpp>

#include <mutex>
#include <utility>

namespace qa::runner {

namespace {

struct Registry {
  std::mutex mutex;
  OptimizationRunner runner;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_optimization(OptimizationRunner runner) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.runner = std::move(runner);
}

OptimizationRunner optimization_runner() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.runner;
}

}  // namespace qa::runner
