#include <qa/report/data_asset.hpp>

#include <qa/report/html_report.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/hash.hpp>

namespace qa::report {

namespace fs = std::filesystem;

std::string data_asset_script(const nlohmann::json& payload) {
  std::string script = "document.currentScript.dispatchEvent(new CustomEvent('qa-data', {detail: ";
  script += json_for_script(payload);
  script += "}));\n";
  return script;
}

Expected<DataAsset> write_data_asset(const AssetFolder& folder, const nlohmann::json& payload) {
  const std::string script = data_asset_script(payload);
  const std::string name = util::hash_bytes(script).hex() + ".js";
  const fs::path file = folder.dir / name;
  std::error_code error;
  if (!fs::exists(file, error)) {
    QA_TRY(util::create_dirs(folder.dir));
    QA_TRY(util::write_file_atomic(file, script, util::Fsync::no));
  }
  return DataAsset{folder.url_prefix + name, script.size()};
}

}  // namespace qa::report
