#include <qa/core/record_stream.hpp>

#include <unistd.h>

#include <iterator>
#include <optional>
#include <string>

#include <qa/util/file.hpp>
#include <qa/util/parallel.hpp>

namespace qa::core {

Expected<std::vector<RunRecord>> read_record_stream(std::istream& in, std::string_view origin) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_record_lines(text, origin);
}

Expected<std::vector<RunRecord>> read_fd_records(int fd, std::string_view origin) {
  // Straight from the descriptor: std::cin, synchronized with stdio, reads a byte at a time.
  QA_TRY_ASSIGN(const std::string text, util::read_fd(fd, origin));
  return parse_record_lines(text, origin);
}

Expected<std::vector<RunRecord>> read_stdin_records() {
  return read_fd_records(STDIN_FILENO, "stdin");
}

Expected<std::vector<RunRecord>> parse_record_lines(std::string_view text, std::string_view origin,
                                                    int first_line) {
  std::vector<RunRecord> records;
  QA_TRY(append_record_lines(text, origin, first_line, records));
  return records;
}

Expected<void> append_record_lines(std::string_view text, std::string_view origin, int first_line,
                                   std::vector<RunRecord>& records) {
  // The lines are parsed in parallel: a stream of 100,000 records is parsing bound.
  struct Line {
    std::string_view text;
    int number = 0;
  };
  std::vector<Line> lines;
  int number = first_line - 1;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    ++number;
    const std::string_view line(text.data() + start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      lines.push_back({line, number});
    }
    start = end + 1;
  }
  // Each record is parsed into its place: a second vector of results, moved from at the end,
  // would hold every record twice for a moment (58 MB of structs for 100,000 records).
  const std::size_t first = records.size();
  records.resize(first + lines.size());
  std::vector<std::optional<Error>> errors(lines.size());
  util::parallel_for(lines.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      // The origin is spelled out only for a line that fails (again, to name it).
      if (auto record = parse_record(lines[i].text, origin)) {
        records[first + i] = std::move(*record);
      } else {
        auto named =
            parse_record(lines[i].text, fmt::format("{} line {}", origin, lines[i].number));
        errors[i] = named ? record.error() : std::move(named).error();
      }
    }
  });
  for (auto& error : errors) {
    if (error) {
      return tl::unexpected(std::move(*error));
    }
  }
  return {};
}

}  // namespace qa::core
