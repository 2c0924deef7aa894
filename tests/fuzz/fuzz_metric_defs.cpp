// Fuzz the metrics file parser (outputs.metrics, QA-Board's format).

#include <qa/core/metric_defs.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, "metrics.yaml");
  const auto defs = qa::core::load_metric_defs(file);
  if (defs) {
    for (const auto& name : defs->main()) {
      [[maybe_unused]] const auto def = defs->get(name);
    }
  }
  return 0;
}
