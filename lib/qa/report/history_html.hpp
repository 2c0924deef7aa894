#pragma once

#include <filesystem>
#include <string>

#include <qa/report/history.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

// Write `history` as one self-contained HTML page at `html_path` (atomically), which opens
// offline from file:// and loads nothing: per label and config, one line chart per metric (the
// mean over the group's runs at each commit with results, oldest left, as inline SVG), where a
// point opens that commit's aggregates table below the chart; then the commits without results.
// The page embeds `{"history": qa.history/1}` (see history.hpp) in a
// `<script type="application/json" id="qa-data">` element, escaped as json_for_script does; its
// script (dom.js and history.js of lib/qa/report/html/) renders every string from data as text,
// never as markup. `generated_at` is written into the data as given.
[[nodiscard]] Expected<void> write_history_html(const History& history,
                                                const std::filesystem::path& html_path,
                                                const std::string& generated_at);

}  // namespace qa::report
