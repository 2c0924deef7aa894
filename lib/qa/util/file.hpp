#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::util {

// Return the whole content of the file at `path`, or an error naming it.
[[nodiscard]] Expected<std::string> read_file(const std::filesystem::path& path);

// Return everything left to read from the open descriptor `fd`; errors name it as `name`.
[[nodiscard]] Expected<std::string> read_fd(int fd, std::string_view name);

// Create the folder `dir` and its parents; fail naming it (e.g. a file is in the way).
[[nodiscard]] Expected<void> create_dirs(const std::filesystem::path& dir);

// Copy the file `source` to `destination` atomically (temp + rename), with mode `mode`.
[[nodiscard]] Expected<void> copy_file_atomic(const std::filesystem::path& source,
                                              const std::filesystem::path& destination,
                                              unsigned mode);

}  // namespace qa::util
