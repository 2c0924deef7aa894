#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/run_record.hpp>
#include <qa/core/visualizations.hpp>
#include <qa/report/html_assets.hpp>
#include <qa/report/html_report.hpp>
#include <qa/report/image_compare.hpp>

namespace qa::report {

// The largest input-side file the report copies into its assets.
inline constexpr std::uintmax_t k_max_run_file_bytes = 256ULL << 20U;

// Return the index of the first output visualization of `visualizations` whose pattern matches
// the output file `path`, or visualizations.size() when none does.
[[nodiscard]] std::size_t visualization_of(const std::vector<core::Visualization>& visualizations,
                                           std::string_view path);

// Return the "inputs" entries of the page (see write_html_report) for the run `record`: one per
// run-file visualization of `side` (core::names_run_file), the file it names copied into
// `folder` by content hash (PGM and PPM converted to PNG, with a preview when large). A file
// that is missing, too large or unreadable is a note in its entry; failing to write into
// `folder` is an error. Thread-safe.
[[nodiscard]] Expected<nlohmann::json> run_file_entries(const core::RunRecord& record,
                                                        const InputSide& side,
                                                        const AssetFolder& folder);

// Write the preview of `image` (see k_preview_side) as `name` in `folder` unless it is there;
// return its URL, or "" when `image` is small enough to need none.
[[nodiscard]] Expected<std::string> write_preview(const Image& image, const AssetFolder& folder,
                                                  const std::string& name);

}  // namespace qa::report
