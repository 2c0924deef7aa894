#pragma once

#include <cstdint>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// What a run reports about itself in `<output_dir>/metrics.json`: a JSON object of name ->
// number, string or bool (the metrics), with two optional keys kept apart: `badges` (QA-Board's
// `params` is read as badges too) and `links` (name -> URL). A QA-Board "rich" metric,
// `{"text": "unstable", "href": URL, "icon": ..., "intent": ...}`, is the metric `text` and the
// link `href` of the same name; its other keys only style QA-Board's web UI.
struct RunMetrics {
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json badges = nlohmann::json::object();
  nlohmann::json links = nlohmann::json::object();
};

inline constexpr const char* k_metrics_file_name = "metrics.json";
// The largest metrics file read: metrics are a few KiB; a bigger file is a runaway command.
inline constexpr std::uintmax_t k_max_metrics_bytes = std::uintmax_t{16} << 20;

// Read the metrics file `file`. A missing file gives empty metrics; a file that is not a JSON
// object, or a metric whose value is not a number, string, bool or null, is an error naming the
// file and the metric.
[[nodiscard]] Expected<RunMetrics> read_run_metrics(const std::filesystem::path& file);

}  // namespace qa::core
