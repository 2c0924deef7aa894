#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/report/output_kind.hpp>

namespace qa::report {

// Caps of what one output file gives its viewer.
struct PayloadCaps {
  std::size_t max_bytes = std::size_t{1} << 20U;  // text, JSON, CSV and HTML read from a file
  std::size_t max_rows = 2000;                    // CSV rows (the header row included)
  std::size_t max_points = 100000;                // points of a point cloud
  std::size_t max_cloud_bytes = std::size_t{256} << 20U;  // a point cloud file, read whole
};

// Return the start of `text`, at most `max_bytes` long, cut at the end of a line when there is
// one in it (else at the start of a UTF-8 character).
[[nodiscard]] std::string_view cut_text(std::string_view text, std::size_t max_bytes);

// Split the CSV text `text` into rows of cells: `delimiter` between cells, double quotes around
// a cell that holds one (doubled inside), a delimiter or a line break; "\n" or "\r\n" between
// rows; at most `max_rows` rows (a last, cut row is dropped).
[[nodiscard]] std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter,
                                                              std::size_t max_rows);

// Return the data asset payload (see data_asset.hpp) that the page's viewer of `kind` shows for
// the file `path` holding `bytes`, within `caps`. Every payload is an object; its fields:
//   all:         "size" (bytes of the file), "truncated" (true when a cap cut it), "note"
//                (a sentence, e.g. why a file is shown as text) or absent
//   text:        "text"
//   json:        "json" (the parsed value), or "text" when the file is no valid JSON or is over
//                `caps.max_bytes`; "plotly": true when the value is a plotly figure
//   csv:         "rows" (arrays of strings, the first the header), "delimiter"
//   html:        "html" (the page's text, shown in a sandboxed iframe)
//   point_cloud: "points": {"total", "shown", "min": [x,y,z], "scale": [x,y,z], "q": [...]
//                (3 integers 0..65535 per point: x = min + q * scale), "colors": [r,g,b...] |
//                null}, or "text" with a note when the file cannot be parsed
// Text is the file's bytes (invalid UTF-8 replaced when the payload is written).
[[nodiscard]] nlohmann::json output_payload(OutputKind kind, std::string_view path,
                                            std::string_view bytes, const PayloadCaps& caps);

}  // namespace qa::report
