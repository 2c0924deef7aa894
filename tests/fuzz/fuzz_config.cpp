// Fuzz the project configuration parser: the input is a qaboard.yaml.

#include <qa/core/config.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, qa::core::k_config_file_name);
  [[maybe_unused]] const auto config = qa::core::load_config(file);
  return 0;
}
