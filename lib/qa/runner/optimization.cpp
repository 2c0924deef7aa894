#include <qa/runner/optimization.hpp>

#include <qa/util/hook.hpp>

#include <utility>

namespace qa::runner {

namespace {

util::Hook<OptimizationRunner>& hook() {
  static util::Hook<OptimizationRunner> instance;
  return instance;
}

}  // namespace

void register_optimization(OptimizationRunner runner) { hook().set(std::move(runner)); }

OptimizationRunner optimization_runner() { return hook().get(); }

}  // namespace qa::runner
