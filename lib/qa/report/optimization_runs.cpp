#include <qa/report/optimization_runs.hpp>

namespace qa::report {

BestRuns best_runs(std::vector<core::RunRecord> records, const core::Optimization& optimization) {
  BestRuns result;
  for (auto& record : records) {
    if (!optimization.label || record.label != *optimization.label) {
      ++result.left_out;
      continue;
    }
    const auto plain = optimization.best_runs.find(record.key);
    if (plain == optimization.best_runs.end()) {
      result.unmapped.push_back(record.key);
    } else {
      record.badges[k_evaluation_key_badge] = record.key;
      record.key = plain->second;
    }
    result.records.push_back(std::move(record));
  }
  return result;
}

std::vector<std::string> plain_keys(const std::vector<std::string>& planned,
                                    const core::Optimization& optimization) {
  std::vector<std::string> keys;
  if (planned.empty()) {
    for (const auto& [key, plain] : optimization.best_runs) {
      keys.push_back(plain);
    }
    return keys;
  }
  for (const auto& key : planned) {
    const auto plain = optimization.best_runs.find(key);
    keys.push_back(plain == optimization.best_runs.end() ? key : plain->second);
  }
  return keys;
}

}  // namespace qa::report
