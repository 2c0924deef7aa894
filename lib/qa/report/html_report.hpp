#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <qa/core/visualizations.hpp>
#include <qa/report/comparison.hpp>
#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::report {

// Copy the blob `hash` of the store to the file `destination` (verified against `hash`), e.g.
// through `Store::get_blob`.
using BlobFetcher = std::function<Expected<void>(const util::Hash128& hash,
                                                 const std::filesystem::path& destination)>;

// What the report knows of the project's visualizations (qaboard.yaml `outputs.visualizations`)
// and where the files of a run's input side are on this machine.
struct InputSide {
  std::vector<core::Visualization> visualizations;
  std::filesystem::path project_root;  // empty: no run file is copied
  std::filesystem::path database;      // inputs.database: a record's `input` is relative to it
};

struct HtmlOptions {
  std::filesystem::path html_path;   // the report file
  std::filesystem::path assets_dir;  // empty: "<html stem>-assets" next to the report
  BlobFetcher fetch;                 // empty: no images, no log tails (table only)
  std::string generated_at;          // written into the report
  // Where to write the qa.report/1 file of this same comparison as well (qa-report --json FILE
  // --html ...), atomically, from the text the page embeds: every run is turned into JSON once.
  // Empty: no file.
  std::filesystem::path json_path;
  InputSide input_side;  // empty: images in path order, no input-side files
};

// Write `comparison` as one self-contained HTML page at `options.html_path` (atomically), which
// opens offline from file:// and loads nothing from the network: summary cards, per label and
// config aggregates, a sortable and filterable table of the runs (paginated, so 10,000 runs stay
// fast), a detail view per run, and per-metric charts as inline SVG. The page embeds the
// comparison as qa.report/1 (see report_json.hpp) in a `<script type="application/json">`
// element, with `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes, plus the per-run extras
// below; its script renders every string from data as text, never as markup.
// With `comparison.optimization` (qa-report --optimization), the embedded report holds the
// document as `optimization` and the page adds its section after the summary: the convergence,
// the objective against each searched parameter, and the sortable table of evaluations.
// When runs of one label and configuration names differ by their params on the same input (a
// tuning search, a matrix over parameters), the page adds a tuning section after the summary,
// built from the runs' label, configs and params alone: one point per distinct params object,
// ranked by a chosen metric's mean over its inputs, with that mean against each varying
// parameter; a point filters the runs table to its runs.
//
// With `options.fetch`, the images among the output files (see image_kind) of both sides are
// fetched into the assets folder, named by hash (PGM and PPM converted to PNG), compared (see
// compare_images) and given a difference colour map (colour_map.hpp); an image whose longest
// side passes k_preview_side (image_preview.hpp) also gets a downscaled preview, which the page
// shows until the zoom needs the full file; each run's row gets a thumbnail (k_thumbnail_side)
// of its first changed image output; the last lines of each run's log are embedded. With
// `options.input_side`, images are ordered, named and hidden by the visualizations that match
// them, and the input-side files that visualizations name (core/visualizations.hpp) are copied
// into the assets. The other output files with a viewer (see html_outputs.hpp: text, JSON, CSV,
// HTML, video, plotly, point clouds) get data assets in the same folder, which the page loads
// only when a run is opened, and plotly.js when a figure needs it. A blob or file that cannot be fetched or decoded is noted in the page, not an
// error. The page refers to the assets by paths relative to itself, so the report folder can be
// published as is.
//
// Per-run extras, `"extras"` beside `"report"` in the embedded object, an array parallel to
// `report.runs` (null for a run without images, input-side files, log or viewable outputs):
//
//   {"images": [{"path": "out.png", "change": "changed" | "identical" | "only-new" |
//                "only-reference",
//                "new": "report-assets/<xxh128>.png" | null, "reference": ... | null,
//                "new_preview": "report-assets/<xxh128>-preview.png" | null (small enough),
//                "reference_preview": ... | null,
//                "diff": "report-assets/<new>-<reference>-diffmap.png" | null,
//                "diff_preview": "report-assets/<new>-<reference>-diffmap-preview.png" | null,
//                "diff_max": 60,            // the difference that maps to the top of the scale
//                "colormap": "viridis",     // black: identical; then viridis(d / diff_max)
//                "width": 64, "height": 48, "reference_width": 64, "reference_height": 48,
//                "stats": {"max_abs_diff": 10, "psnr": 48.1 | null (identical),
//                          "changed_share": 0.0003, "changed_pixels": 1} | null,
//                "name": "Denoised",        // the matching visualization's (absent: none)
//                "hidden": false,           // its default_hidden (absent: none)
//                "note": "sizes differ" | "cannot fetch ...: ..." | null}],
//    "thumbnail": "report-assets/<xxh128>-thumb.png" | null,
//    "inputs": [{"name": "Ground truth", "role": "input" ({input_path}) | "file",
//                "path": "data/clean/a.png" (relative to the project, or "{database}/..."),
//                "url": "report-assets/<xxh128>.png" | null, "image": true,
//                "width": 64, "height": 48, "preview": "...-preview.png" (when large),
//                "hidden": false, "note": "... is not a readable file" | null}],
//    "log_tail": "last lines of the log" | null,
//    "views": [...]}   (only when the run has output files with a viewer: see html_outputs.hpp)
[[nodiscard]] Expected<void> write_html_report(const Comparison& comparison,
                                               const HtmlOptions& options);

// Return `json` (serialized) safe inside an HTML script element: `<`, `>`, `&`, U+2028 and
// U+2029 written as \u escapes, invalid UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string json_for_script(const nlohmann::json& json);

// Append `text` (JSON text) to `out` with the escapes of json_for_script.
void append_script_safe(std::string_view text, std::string& out);

}  // namespace qa::report
