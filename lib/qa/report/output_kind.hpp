#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace qa::report {

// How the HTML report shows an output file that is not an image (images have image_kind).
enum class OutputKind {
  none,         // no viewer: the file is only listed
  text,         // text and logs: side-by-side line diff against the reference
  json,         // JSON: a table of flattened paths (a plotly figure is shown as one instead)
  csv,          // CSV (comma) or TSV (tab): a table
  html,         // HTML: a sandboxed iframe that runs no script
  video,        // video: new and reference players, synchronized
  point_cloud,  // PLY or PCD point cloud: two synchronized views
};

// Return the kind of viewer for the file `path`, by its extension (case-insensitive):
// .txt .log .md .rst .yaml .yml .xml .ini .cfg .conf .toml .out .err .diff .patch -> text;
// .json -> json; .csv .tsv -> csv; .html .htm -> html; .mp4 .webm .ogv .mov .m4v -> video;
// .ply .pcd -> point_cloud; anything else, images included, -> none.
[[nodiscard]] OutputKind output_kind(std::string_view path);

// Return the kind of viewer for the file `path` that a QA-Board visualization declares with
// `type` (its viewer type: `image/*`, `plotly/json`, `flame/json`, `plain/html`, `video/*`,
// `text/plain`, `pointcloud/txt`, `6dof/txt`...): JSON types -> json (a plotly figure is
// recognized by its content), HTML types -> html, `video/*` -> video, `pointcloud/*` ->
// point_cloud for a PLY or PCD file (else text), `image/*` -> none (images have their own
// views), any other type -> text, as QA-Board shows files it cannot identify. An empty `type`
// leaves the choice to the extension (output_kind), except that a file it cannot identify is
// text: a visualization names it, so it is meant to be seen.
[[nodiscard]] OutputKind visualization_kind(std::string_view type, std::string_view path);

// Return the name of `kind` as the page knows it: "text", "json", "csv", "html", "video",
// "point_cloud", "none"; a plotly figure is "plotly" (see is_plotly_figure).
[[nodiscard]] std::string_view output_kind_name(OutputKind kind);

// Return whether `json` is a plotly figure: an object whose "data" is a non-empty array of
// objects (its traces), with an optional object "layout" and no other key but "frames" and
// "config".
[[nodiscard]] bool is_plotly_figure(const nlohmann::json& json);

// Return the MIME type of the video file `path` ("video/mp4", "video/webm", "video/ogg",
// "video/quicktime"), or "" when it is no video.
[[nodiscard]] std::string_view video_mime_type(std::string_view path);

}  // namespace qa::report
