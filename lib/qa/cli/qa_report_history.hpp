#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <qa/cli/common.hpp>
#include <qa/util/error.hpp>

namespace qa::cli {

// The options of `qa-report --history BRANCH [--last N] [BATCH]...`.
struct HistoryOptions {
  std::string branch;
  std::size_t last = 20;
  std::optional<std::string> json;
  std::optional<std::string> md;
  std::optional<std::string> html;
  std::optional<std::string> history_url;  // where the HTML history is published, for --md
};

// Report the metric history of `options.branch` (runner/history.hpp, report/history.hpp): the
// qa.history/1 JSON, the Markdown and the HTML page to their files ("-": stdout for JSON and
// Markdown), the text summary on stdout when no file is asked for. Return the exit code: 0.
[[nodiscard]] Expected<int> run_history(const CommonOptions& common,
                                        const std::vector<std::string>& batches,
                                        const HistoryOptions& options);

}  // namespace qa::cli
