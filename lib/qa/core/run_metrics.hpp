#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// What a run reports about itself in `<output_dir>/metrics.json`: a JSON object of name ->
// number, string or bool (the metrics), with two optional keys kept apart: `badges` (QA-Board's
// `params` is read as badges too) and `links` (name -> URL).
struct RunMetrics {
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json badges = nlohmann::json::object();
  nlohmann::json links = nlohmann::json::object();
};

inline constexpr const char* k_metrics_file_name = "metrics.json";

// Read the metrics file `file`. A missing file gives empty metrics; a file that is not a JSON
// object, or a metric whose value is not a number, string, bool or null, is an error naming the
// file and the metric.
[[nodiscard]] Expected<RunMetrics> read_run_metrics(const std::filesystem::path& file);

}  // namespace qa::core
