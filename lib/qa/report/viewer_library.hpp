#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace qa::report {

// The file name of plotly.js (the npm package plotly.js-strict-dist-min, which needs no eval, so
// it runs under the page's Content Security Policy) in the viewers folder.
inline constexpr std::string_view k_plotly_file = "plotly-strict.min.js";

// Return the folder of the libraries the HTML report's viewers copy into its assets folder
// (lib/qa/report/viewers, installed as share/qatools/viewers): $QA_VIEWERS_DIR when set (and
// nothing else then), else <the running tool's folder>/../share/qatools/viewers (the install tree,
// and the build tree, where CMake copies them), else the source tree's node_modules when it holds
// them; nothing when no candidate holds `file`.
[[nodiscard]] std::optional<std::filesystem::path> viewers_dir(std::string_view file);

}  // namespace qa::report
