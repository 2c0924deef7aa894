// Fuzz the golden manifest parser (qa.golden/1). What it accepts must write back to a text that
// reads as the same golden manifest and writes the same bytes again: accept never churns.

#include <cstdio>
#include <cstdlib>

#include <qa/core/golden.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto golden = qa::core::parse_golden(qa::fuzz::as_text(data, size), "fuzz input");
  if (!golden) {
    return 0;
  }
  const std::string text = qa::core::golden_to_text(*golden);
  const auto again = qa::core::parse_golden(text, "written");
  if (!again || *again != *golden || qa::core::golden_to_text(*again) != text) {
    std::fprintf(stderr, "fuzz_golden: a golden manifest does not read back as written:\n%s",
                 text.c_str());
    std::abort();
  }
  return 0;
}
