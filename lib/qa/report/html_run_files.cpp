#include <qa/report/html_run_files.hpp>

#include <qa/report/image_compare.hpp>
#include <qa/report/image_preview.hpp>
#include <qa/util/file.hpp>
#include <qa/util/hash.hpp>

#include <algorithm>

namespace qa::report {

namespace fs = std::filesystem;

std::size_t visualization_of(const std::vector<core::Visualization>& visualizations,
                             std::string_view path) {
  for (std::size_t i = 0; i < visualizations.size(); ++i) {
    if (core::matches_output(visualizations[i], path)) {
      return i;
    }
  }
  return visualizations.size();
}

Expected<std::string> write_preview(const Image& image, const AssetFolder& folder,
                                    const std::string& name) {
  if (std::max(image.width, image.height) <= k_preview_side) {
    return std::string();
  }
  std::error_code error;
  if (!fs::exists(folder.dir / name, error)) {
    QA_TRY(write_png(downscale_to_fit(image, k_preview_side), folder.dir / name));
  }
  return folder.url_prefix + name;
}

namespace {

// Return `file` as the page shows it: relative to the project root or the database when inside.
std::string display_path(const fs::path& file, const InputSide& side) {
  for (const auto& [root, prefix] : {std::pair{side.project_root, std::string()},
                                     std::pair{side.database, std::string("{database}/")}}) {
    if (root.empty()) {
      continue;
    }
    const fs::path relative = file.lexically_relative(root.lexically_normal());
    if (!relative.empty() && *relative.begin() != "..") {
      return prefix + relative.generic_string();
    }
  }
  return file.generic_string();
}

// Return the lowercase extension of `file` with its dot when it is short and plain, else "".
std::string safe_extension(const fs::path& file) {
  std::string extension = file.extension().string();
  if (extension.size() > 8) {
    return {};
  }
  for (auto& c : extension) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
    if (!plain) {
      return {};
    }
  }
  return extension;
}

// Copy `file` into `folder` and describe it in `entry` (url, image size, preview).
Expected<void> copy_run_file(const fs::path& file, const AssetFolder& folder,
                             nlohmann::json& entry) {
  std::error_code error;
  const auto status = fs::symlink_status(file, error);
  if (error || !fs::is_regular_file(status)) {
    entry["note"] =
        fmt::format("{} is not a readable file", quote(entry["path"].get<std::string>()));
    return {};
  }
  if (fs::file_size(file, error) > k_max_run_file_bytes) {
    entry["note"] =
        fmt::format("{} is larger than {} MiB: not copied", quote(entry["path"].get<std::string>()),
                    k_max_run_file_bytes >> 20U);
    return {};
  }
  auto hashed = util::hash_file(file);
  if (!hashed) {
    entry["note"] = hashed.error().message;
    return {};
  }
  const std::string hex = hashed->hash.hex();
  const ImageKind kind = image_kind(file.string());
  const std::string name = hex + (kind == ImageKind::pnm ? ".png" : safe_extension(file));
  QA_TRY(util::create_dirs(folder.dir));
  if (kind == ImageKind::none) {
    if (!fs::exists(folder.dir / name, error)) {
      QA_TRY(util::copy_file_atomic(file, folder.dir / name, 0644));
    }
    entry["url"] = folder.url_prefix + name;
    return {};
  }
  auto image = load_image(file);
  if (!image) {
    entry["note"] = image.error().message;
    return {};
  }
  if (!fs::exists(folder.dir / name, error)) {
    if (kind == ImageKind::pnm) {
      QA_TRY(write_png(*image, folder.dir / name));
    } else {
      QA_TRY(util::copy_file_atomic(file, folder.dir / name, 0644));
    }
  }
  entry["url"] = folder.url_prefix + name;
  entry["image"] = true;
  entry["width"] = image->width;
  entry["height"] = image->height;
  QA_TRY_ASSIGN(const std::string preview, write_preview(*image, folder, hex + "-preview.png"));
  if (!preview.empty()) {
    entry["preview"] = preview;
  }
  return {};
}

}  // namespace

Expected<nlohmann::json> run_file_entries(const core::RunRecord& record, const InputSide& side,
                                          const AssetFolder& folder) {
  nlohmann::json entries = nlohmann::json::array();
  if (side.project_root.empty()) {
    return entries;
  }
  const fs::path database = side.database.empty() ? side.project_root : side.database;
  const fs::path input(record.input);
  const core::VisualizationValues values{
      (input.is_absolute() ? input : database / input).lexically_normal(), record.input,
      side.project_root, database};
  for (const auto& visualization : side.visualizations) {
    if (visualization.path.empty() || !core::names_run_file(visualization)) {
      continue;
    }
    nlohmann::json entry{{"name", visualization.name},
                         {"role", visualization.path == "{input_path}" ? "input" : "file"},
                         {"path", nullptr},
                         {"url", nullptr},
                         {"image", false},
                         {"hidden", visualization.default_hidden},
                         {"note", nullptr}};
    const auto file = core::visualization_file(visualization, values);
    if (!file) {
      entry["path"] = visualization.path;
      entry["note"] = fmt::format("{} leaves the project and the database: not copied",
                                  quote(visualization.path));
    } else {
      entry["path"] = display_path(*file, side);
      QA_TRY(copy_run_file(*file, folder, entry));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace qa::report
