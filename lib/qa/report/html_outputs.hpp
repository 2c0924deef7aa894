#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/visualizations.hpp>
#include <qa/report/comparison.hpp>
#include <qa/report/html_assets.hpp>
#include <qa/report/html_report.hpp>
#include <qa/report/output_payload.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

struct OutputViewOptions {
  PayloadCaps caps;
  // What all the data assets and videos of one report may weigh together; past it, a view says
  // that the report's budget is spent instead of showing its files.
  std::size_t max_report_bytes = std::size_t{256} << 20U;
  // How many files (data assets and videos) one report may hold: a report of 100,000 runs shows
  // the files of its first runs, by severity, and says so for the others.
  std::size_t max_report_files = 20000;
  // The folder holding plotly.js (see viewer_library.hpp); empty: plotly figures are shown as
  // JSON tables with a note.
  std::filesystem::path viewers_dir;
  // QA-Board's `outputs.visualizations`: an output file that one of them matches gets the viewer
  // of its `type` (visualization_kind of output_kind.hpp) and its `name`; the others, the viewer
  // of their extension.
  std::vector<core::Visualization> visualizations;
};

// The viewers of the output files that are not images (see output_kind), for the "views" field
// of a run's extras in the HTML page (see write_html_report):
//
//   {"views": [{"path": "out.txt", "kind": "text" | "json" | "csv" | "html" | "video" | "plotly"
//                                          | "point_cloud",
//               "name": "Debug log" | null,        (the matching visualization's name)
//               "change": "changed" | "identical" | "only-new" | "only-reference",
//               "new": "<assets>/<xxh128>.js" | null, "reference": ... | null,
//               "note": "..." | null,
//               "library": "<assets>/plotly-strict.min.js" | null,   (plotly only)
//               "mime": "video/mp4"}]}                               (video only)
//
// "new" and "reference" are data assets (see data_asset.hpp; payloads in output_payload.hpp), one
// per blob, shared by every run that has it; for a video they are the file itself, copied into
// the assets folder as <xxh128>.<extension>. plotly.js is copied into the assets folder only
// when a view needs it. A blob that cannot be fetched, or is past the report's budget, is a
// note and a null side.
class OutputViews {
 public:
  OutputViews(const AssetFolder& folder, const BlobFetcher& fetch, OutputViewOptions options);

  // Fetch and convert, on every core, the files that the views of `runs` show (each blob once),
  // the budgets given to the runs in their order (a comparison's runs come by severity); then
  // run_views only reads what was made. Failing to write into the assets folder is an error.
  [[nodiscard]] Expected<void> prepare(const std::vector<RunComparison>& runs);

  // Return the views of `run`'s output files (an empty array when it has none), making the files
  // that prepare did not, one at a time; failing to write into the assets folder is an error.
  [[nodiscard]] Expected<nlohmann::json> run_views(const RunComparison& run);

 private:
  // Return the first visualization whose pattern matches the output `path`, or null.
  [[nodiscard]] const core::Visualization* visualization_of(std::string_view path) const;

  struct Side {
    std::optional<std::string> url;
    std::string note;
    bool plotly = false;
  };

  // The output files of a run that have a viewer: path -> its kind and matching visualization.
  using Viewable = std::map<std::string, std::pair<OutputKind, const core::Visualization*>>;
  [[nodiscard]] Viewable viewable(const RunComparison& run) const;
  // The bytes `entry` counts for in the report's budget; whether it fits (then counted).
  [[nodiscard]] std::size_t weight(const core::FileEntry& entry, OutputKind kind) const;
  bool admit(const core::FileEntry& entry, OutputKind kind);
  [[nodiscard]] Side over_budget() const;
  [[nodiscard]] static std::string side_key(const core::FileEntry& entry, OutputKind kind);

  Expected<Side> side(const core::FileEntry& entry, const std::string& path, OutputKind kind);
  // Thread-safe: prepare calls it from several threads.
  [[nodiscard]] Expected<Side> make_side(const core::FileEntry& entry, const std::string& path,
                                         OutputKind kind) const;
  Expected<std::optional<std::string>> plotly_library();
  [[nodiscard]] std::filesystem::path temp_path(const std::string& hex) const;

  const AssetFolder& m_folder;
  const BlobFetcher& m_fetch;
  OutputViewOptions m_options;
  std::size_t m_bytes = 0;
  std::size_t m_files = 0;
  mutable std::atomic<std::uint64_t> m_temp_count{0};
  std::map<std::string, Side> m_sides;  // "<kind> <xxh128>" -> side
  std::optional<std::optional<std::string>> m_plotly;
};

}  // namespace qa::report
