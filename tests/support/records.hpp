#pragma once

#include <string>

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

}  // namespace qa::test
