#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <qa/core/manifest.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// A golden manifest, schema `qa.golden/1`: the outputs of one run accepted on purpose
// (`qa-bitacc --golden DIR --accept`), kept in the project's repository and reviewed like code.
// One file per run, at `<DIR>/<run key>.json` (the key's `/` make folders):
//
//   {
//     "files": {
//       "out.png": {
//         "size": 1234,
//         "xxh128": "<32 hex>"
//       }
//     },
//     "input": "images/a.png",
//     "key": "default/base/images-a",
//     "schema": "qa.golden/1"
//   }
//
// The text is stable, so that accepting the same outputs again changes no byte: 2-space indent,
// keys sorted (file paths byte by byte), a trailing newline. `files` holds only the files that
// bit accuracy compares (bit_accuracy.patterns and .ignore), with paths relative to the run's
// output folder, as in the run record; `key` is the run key of the file's path; `input` is the
// run's input, for readers. Every key is required and no other is allowed.
inline constexpr const char* k_golden_schema = "qa.golden/1";

struct Golden {
  std::string key;
  std::string input;
  Manifest files;
  friend bool operator==(const Golden&, const Golden&) = default;
};

// Return the path of the golden manifest of the run `key` in `dir`, or an error when `key` is not
// a well-formed run key (it could leave `dir`).
[[nodiscard]] Expected<std::filesystem::path> golden_path(const std::filesystem::path& dir,
                                                          std::string_view key);

// Return the text of `golden` (see the schema above).
[[nodiscard]] std::string golden_to_text(const Golden& golden);

// Read a golden manifest from `text`, checking it against the schema; `origin` (its file) is
// named in errors, which are of kind config.
[[nodiscard]] Expected<Golden> parse_golden(std::string_view text, std::string_view origin);

// Return the golden manifest of the run `key` in `dir`, or an empty optional when there is no
// file for it. A file that cannot be read or parsed, or whose "key" is not `key`, is an error
// naming the file.
[[nodiscard]] Expected<std::optional<Golden>> read_golden(const std::filesystem::path& dir,
                                                          std::string_view key);

// Whether write_golden changed the file.
enum class GoldenWrite { unchanged, written };

// Write `golden` to its file in `dir` atomically, creating the folders on the way; a file that
// already holds the same bytes is left untouched (no new modification time, no diff for git).
[[nodiscard]] Expected<GoldenWrite> write_golden(const std::filesystem::path& dir,
                                                 const Golden& golden);

}  // namespace qa::core
