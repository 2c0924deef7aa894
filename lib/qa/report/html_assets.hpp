#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <qa/report/comparison.hpp>
#include <qa/report/html_report.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

// The folder the HTML report's assets go to, and how the page refers to it.
struct AssetFolder {
  std::filesystem::path dir;  // where the files are written (created when the first one is)
  std::string url_prefix;     // relative URL of `dir` from the page, "" or ending with '/'
};

// Return the folder `assets_dir` as seen from a page at `html_path`: both made absolute, the URL
// relative to the page's folder, each path segment percent-encoded (only A-Z a-z 0-9 - . _ ~
// kept), so that no folder name can turn into a scheme or markup.
[[nodiscard]] AssetFolder asset_folder(const std::filesystem::path& html_path,
                                       const std::filesystem::path& assets_dir);

// Return `segment` percent-encoded as one URL path segment (see asset_folder).
[[nodiscard]] std::string url_encode_segment(std::string_view segment);

// Return the end of `text`: at most its last `max_lines` lines and `max_bytes` bytes, starting at
// the beginning of a line (or of a UTF-8 character when one line is longer than `max_bytes`).
[[nodiscard]] std::string log_tail(std::string_view text, std::size_t max_lines = 40,
                                   std::size_t max_bytes = 4096);

// Fetch through `fetch` the images among the output files of every run of `comparison` (both
// sides) and the logs of the new runs into `folder`, with their previews, difference colour maps
// and each run's thumbnail, and copy the input-side files that `side`'s visualizations name;
// return the "extras" array of the page (see write_html_report), parallel to
// `comparison.runs`, as JSON text ("[]" when no run has any). A blob that cannot be fetched or
// decoded is a note in its entry; failing to write into `folder` is an error.
[[nodiscard]] Expected<std::string> collect_html_extras(const Comparison& comparison,
                                                        const AssetFolder& folder,
                                                        const BlobFetcher& fetch,
                                                        const InputSide& side = {});

}  // namespace qa::report
