#pragma once

// Commits and their runs, made in the test, from which the history unit tests make histories.

#include <optional>
#include <string>
#include <vector>

#include <qa/core/metric_defs.hpp>
#include <qa/report/history.hpp>

#include "support/records.hpp"

namespace qa::test {

inline core::RunRecord history_record(const std::string& key, nlohmann::json metrics,
                                      core::RunStatus status = core::RunStatus::ok) {
  return run_record(key, std::move(metrics), status);
}

inline std::string sha_of(char c) { return std::string(40, c); }

// Three commits, newest first: c (psnr 32 and 34 in base, a failed run in fast), b (a gap), a
// (psnr 30 in base).
inline std::vector<report::HistoryInput> three_commits() {
  std::vector<report::HistoryInput> inputs;
  inputs.push_back(report::HistoryInput{
      sha_of('c'),
      "third",
      "2026-11-27T10:00:00Z",
      "git",
      {history_record("default/base/a.png", {{"psnr", 32.0}}),
       history_record("default/base/b.png", {{"psnr", 34.0}}),
       history_record("default/fast/a.png", nlohmann::json::object(), core::RunStatus::failed)}});
  inputs.push_back(report::HistoryInput{sha_of('b'), "second", "2026-11-26T10:00:00Z", "git", {}});
  inputs.push_back(report::HistoryInput{sha_of('a'),
                                        std::nullopt,
                                        std::nullopt,
                                        "branch_index",
                                        {history_record("default/base/a.png", {{"psnr", 30.0}})}});
  return inputs;
}

inline core::MetricDefs psnr_defs() {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.precision = 1;
  psnr.suffix = " dB";
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  return defs;
}

}  // namespace qa::test
