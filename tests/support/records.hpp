#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <qa/core/run_record.hpp>

namespace qa::test {

// Return a record of the run `key` (`<label>/<config>/<input>`) of the project acme/demo at the
// commit bbbb...b, with `status` and `metrics`: the reports' unit tests build comparisons of them.
[[nodiscard]] inline core::RunRecord run_record(const std::string& key,
                                                nlohmann::json metrics = nlohmann::json::object(),
                                                core::RunStatus status = core::RunStatus::ok) {
  core::RunRecord record;
  record.project = "acme/demo";
  record.commit = std::string(40, 'b');
  record.key = key;
  record.label = key.substr(0, key.find('/'));
  record.input = key.substr(key.rfind('/') + 1);
  record.status = status;
  record.metrics = std::move(metrics);
  return record;
}

// Parse each line of `text` (a tool's JSON Lines output), failing the test on a line that is not
// a JSON object.
[[nodiscard]] inline std::vector<nlohmann::json> parse_json_lines(const std::string& text) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    records.push_back(nlohmann::json::parse(line, nullptr, false));
    EXPECT_TRUE(records.back().is_object()) << "not a JSON line: " << line;
  }
  return records;
}

}  // namespace qa::test
