// Fuzz the batches file parser (QA-Board's format). Only loading is fuzzed: expanding batches
// walks the file system under paths the input names.

#include <qa/core/batches.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = qa::fuzz::write_input_file(data, size, "batches.yaml");
  const auto batches = qa::core::Batches::load({file}, file.parent_path());
  if (batches) {
    [[maybe_unused]] const auto names = batches->names();
  }
  return 0;
}
