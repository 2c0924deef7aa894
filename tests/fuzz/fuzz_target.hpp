#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

// The entry point every fuzz target defines (libFuzzer's contract): run the parser on `data`,
// `size` bytes, and return 0. A crash, a sanitizer report, an exception escaping or a hang is a
// bug of the parser; an error it returns is not.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace qa::fuzz {

// Return `data` as text.
[[nodiscard]] inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Return the temporary folder of this process: made on first use, removed at exit.
[[nodiscard]] const std::filesystem::path& temp_folder();

// Write `data` to the file `name` in temp_folder() and return its path. The same path is
// reused, overwritten, for every input.
[[nodiscard]] std::filesystem::path write_input_file(const std::uint8_t* data, std::size_t size,
                                                     std::string_view name);

// Write `text` to the file `path` (relative to temp_folder(), parent folders made) and return
// its absolute path.
std::filesystem::path write_temp_file(const std::filesystem::path& path, std::string_view text);

}  // namespace qa::fuzz
