#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::core {

// How a metric is shown and judged: QA-Board's metrics file (`outputs.metrics`), plus the
// qatools key `tolerance`.
//
//   available_metrics:
//     psnr: {label: PSNR, short_label: PSNR, smaller_is_better: false, target: 30,
//            scale: 1, suffix: ' dB', precision: 2, tolerance: 0.01}
//   main_metrics: [psnr]
//
// `scale` multiplies values for display only; `tolerance` is the relative change allowed in the
// worse direction before a change is a regression (0: any worsening is one).
struct MetricDef {
  std::string name;
  std::string label;        // default: the name
  std::string short_label;  // default: the label
  bool smaller_is_better = true;
  std::optional<double> target;
  double scale = 1;
  std::string suffix;
  int precision = 3;
  double tolerance = 0;
  bool declared = false;  // found in the metrics file
  // A metric that qatools records for every run (is_failed, compute_time, peak_rss_mb): shown,
  // but its changes never count as regressions unless the metrics file declares it.
  bool informational = false;
};

// The metrics file: the declared metrics and the main ones, in the file's order.
class MetricDefs {
 public:
  // Return the definition of `name`: the declared one, else the defaults (informational for the
  // metrics qatools records itself).
  [[nodiscard]] MetricDef get(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string>& main() const { return m_main; }
  [[nodiscard]] const std::vector<std::string>& declared() const { return m_order; }

  void add(MetricDef def);
  void set_main(std::vector<std::string> main) { m_main = std::move(main); }

 private:
  std::map<std::string, MetricDef, std::less<>> m_defs;
  std::vector<std::string> m_order;
  std::vector<std::string> m_main;
};

// Read the metrics file `file` (QA-Board format, above). Unknown keys, values of the wrong type
// and main metrics that are not declared are errors naming the file and line. The QA-Board keys
// that qatools ignores (its web UI's) are appended to `notices`, each key once.
[[nodiscard]] Expected<MetricDefs> load_metric_defs(const std::filesystem::path& file,
                                                    std::vector<std::string>* notices = nullptr);

// Return the metric names qatools records for every run.
[[nodiscard]] bool is_builtin_metric(std::string_view name);

}  // namespace qa::core
