// Fuzz the run record parsers: one record (run.json) and a JSON Lines stream of them.

#include <qa/core/record_stream.hpp>
#include <qa/core/run_record.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = qa::fuzz::as_text(data, size);
  [[maybe_unused]] const auto record = qa::core::parse_record(text, "fuzz input");
  [[maybe_unused]] const auto records = qa::core::parse_record_lines(text, "fuzz input");
  return 0;
}
