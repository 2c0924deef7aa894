#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

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

  // Return the views of `run`'s output files (an empty array when it has none); failing to write
  // into the assets folder is an error.
  [[nodiscard]] Expected<nlohmann::json> run_views(const RunComparison& run);

 private:
  // Return the first visualization whose pattern matches the output `path`, or null.
  [[nodiscard]] const core::Visualization* visualization_of(std::string_view path) const;

  struct Side {
    std::optional<std::string> url;
    std::string note;
    bool plotly = false;
  };

  Expected<Side> side(const core::FileEntry& entry, const std::string& path, OutputKind kind);
  Expected<Side> make_side(const core::FileEntry& entry, const std::string& path, OutputKind kind);
  Expected<std::optional<std::string>> plotly_library();
  std::filesystem::path temp_path(const std::string& hex);

  const AssetFolder& m_folder;
  const BlobFetcher& m_fetch;
  OutputViewOptions m_options;
  std::size_t m_bytes = 0;
  std::size_t m_temp_count = 0;
  std::map<std::string, Side> m_sides;  // "<kind> <xxh128>" -> side
  std::optional<std::optional<std::string>> m_plotly;
};

}  // namespace qa::report
