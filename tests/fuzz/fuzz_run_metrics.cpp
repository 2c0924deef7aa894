// Fuzz the parser of what a run reports about itself, <output_dir>/metrics.json.

#include <qa/core/run_metrics.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, qa::core::k_metrics_file_name);
  [[maybe_unused]] const auto metrics = qa::core::read_run_metrics(file);
  return 0;
}
