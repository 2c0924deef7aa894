// Fuzz the qa.optimization/1 reader (qa-report --optimization FILE), then use what it accepts:
// the Markdown section (its table holds at most k_optimization_rows rows), the text line, the
// best runs of a record of the best evaluation and the plain keys.

#include <qa/core/optimization.hpp>
#include <qa/report/optimization_runs.hpp>
#include <qa/report/optimization_writers.hpp>

#include <cstdlib>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, "best.json");
  const auto optimization = qa::core::read_optimization(file);
  if (!optimization) {
    return 0;
  }
  const std::string md = qa::report::optimization_to_markdown(*optimization, {});
  std::size_t rows = 0;
  for (std::size_t at = md.find("\n| "); at != std::string::npos; at = md.find("\n| ", at + 1)) {
    ++rows;
  }
  if (rows > qa::report::k_optimization_rows + 1) {
    std::abort();  // the header and at most k_optimization_rows evaluations
  }
  [[maybe_unused]] const auto line = qa::report::optimization_summary(*optimization);
  std::vector<qa::core::RunRecord> records;
  for (const auto& [key, plain] : optimization->best_runs) {
    qa::core::RunRecord record;
    record.key = key;
    record.label = key.substr(0, key.find('/'));
    records.push_back(record);
  }
  const auto best = qa::report::best_runs(records, *optimization);
  if (best.records.size() != records.size() || !best.unmapped.empty()) {
    std::abort();  // every key of best_runs is the best evaluation's and is renamed
  }
  [[maybe_unused]] const auto keys = qa::report::plain_keys({}, *optimization);
  return 0;
}
