#pragma once

#include <istream>
#include <string_view>
#include <vector>

#include <qa/core/run_record.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// Read run records as JSON Lines from `in` (what qa-batch and `qa-get runs` print). Blank lines
// are skipped; a line that is not a valid record is an error naming `origin` and the line.
[[nodiscard]] Expected<std::vector<RunRecord>> read_record_stream(std::istream& in,
                                                                  std::string_view origin);

// Read run records as JSON Lines from the descriptor `fd` to its end, `origin` naming it in
// errors (see read_record_stream).
[[nodiscard]] Expected<std::vector<RunRecord>> read_fd_records(int fd, std::string_view origin);

// Read run records as JSON Lines from the standard input (see read_record_stream).
[[nodiscard]] Expected<std::vector<RunRecord>> read_stdin_records();

// Parse `text`, run records as JSON Lines (see read_record_stream); errors number its lines from
// `first_line` (the line of `origin` that `text` starts at).
[[nodiscard]] Expected<std::vector<RunRecord>> parse_record_lines(std::string_view text,
                                                                  std::string_view origin,
                                                                  int first_line = 1);

// Parse `text` as parse_record_lines does and append its records to `records` (whose content is
// unspecified after an error).
[[nodiscard]] Expected<void> append_record_lines(std::string_view text, std::string_view origin,
                                                 int first_line, std::vector<RunRecord>& records);

}  // namespace qa::core
