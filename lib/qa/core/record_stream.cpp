#include <qa/core/record_stream.hpp>

#include <string>

namespace qa::core {

Expected<std::vector<RunRecord>> read_record_stream(std::istream& in, std::string_view origin) {
  std::vector<RunRecord> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    QA_TRY_ASSIGN(auto record, parse_record(line, fmt::format("{} line {}", origin, number)));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace qa::core
