#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <qa/report/html_assets.hpp>
#include <qa/util/error.hpp>

namespace qa::report {

// A data asset of the HTML report: a JSON payload that the page loads only when it needs it,
// without fetch (a page opened from file:// cannot fetch). It is a classic script in the assets
// folder, named by the xxh128 of its text, whose only statement hands the payload to the page:
//
//   document.currentScript.dispatchEvent(new CustomEvent('qa-data', {detail: <payload>}));
//
// The payload is written with the escapes of append_script_safe (`<`, `>`, `&`, U+2028, U+2029
// as \u escapes, invalid UTF-8 replaced), so that no string in it can end or start markup. The
// page's loadDataAsset(url) (html/assets.js) adds a `<script src>` and resolves with the detail.
struct DataAsset {
  std::string url;        // relative to the page: the folder's url_prefix + "<xxh128>.js"
  std::size_t bytes = 0;  // size of the script
};

// Return the text of the data asset script of `payload`.
[[nodiscard]] std::string data_asset_script(const nlohmann::json& payload);

// Write the data asset of `payload` into `folder` (created when needed; a file of the same name
// is the same asset and is kept) and return its URL and size.
[[nodiscard]] Expected<DataAsset> write_data_asset(const AssetFolder& folder,
                                                   const nlohmann::json& payload);

}  // namespace qa::report
