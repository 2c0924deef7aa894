#include <qa/report/html_assets.hpp>

#include <qa/report/colour_map.hpp>
#include <qa/report/html_outputs.hpp>
#include <qa/report/html_run_files.hpp>
#include <qa/report/image_compare.hpp>
#include <qa/report/image_preview.hpp>
#include <qa/report/report_json.hpp>
#include <qa/report/viewer_library.hpp>
#include <qa/util/file.hpp>
#include <qa/util/parallel.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace qa::report {

namespace fs = std::filesystem;

AssetFolder asset_folder(const fs::path& html_path, const fs::path& assets_dir) {
  const fs::path page_dir = fs::absolute(html_path).lexically_normal().parent_path();
  const fs::path dir = fs::absolute(assets_dir).lexically_normal();
  std::string prefix;
  for (const auto& segment : dir.lexically_relative(page_dir)) {
    const std::string text = segment.string();
    if (text.empty() || text == ".") {
      continue;
    }
    prefix += url_encode_segment(text);
    prefix += '/';
  }
  return AssetFolder{dir, prefix};
}

std::string url_encode_segment(std::string_view segment) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4U];
      out += k_hex[byte & 0xFU];
    }
  }
  return out;
}

std::string log_tail(std::string_view text, std::size_t max_lines, std::size_t max_bytes) {
  std::size_t start = 0;
  if (text.size() > max_bytes) {
    start = text.size() - max_bytes;
    if (text[start - 1] != '\n') {
      const auto newline = text.find('\n', start);
      if (newline != std::string_view::npos && newline + 1 < text.size()) {
        start = newline + 1;
      } else {
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U) {
          ++start;
        }
      }
    }
  }
  std::string_view tail = text.substr(start);
  std::size_t end = tail.size();
  while (end > 0 && (tail[end - 1] == '\n' || tail[end - 1] == '\r')) {
    --end;
  }
  tail = tail.substr(0, end);
  std::size_t lines = 0;
  for (std::size_t i = tail.size(); i > 0; --i) {
    if (tail[i - 1] == '\n' && ++lines == max_lines) {
      return std::string(tail.substr(i));
    }
  }
  return std::string(tail);
}

namespace {

// Removes a temporary file when it goes out of scope.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(fs::path path) : m_path(std::move(path)) {}
  ~RemoveOnExit() {
    std::error_code error;
    fs::remove(m_path, error);
  }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  fs::path m_path;
};

// One image blob, fetched into the assets folder (converted to PNG when the browser cannot show
// it). An empty `url` means it could not be had; `note` says why.
struct Asset {
  fs::path file;
  std::string url;
  std::string note;
  int width = 0;  // 0: not decoded
  int height = 0;
  std::string preview_url;    // "" when the image is small enough
  std::string thumbnail_url;  // "" unless it is a run's thumbnail
};

// The comparison of two image blobs.
struct PairResult {
  nlohmann::json fields = nlohmann::json::object();
};

// Return the last bytes of the file `file`: enough for log_tail to start at a line.
Expected<std::string> read_end(const fs::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) {
    return fail("cannot read {}", quote(file.string()));
  }
  const auto size = static_cast<std::size_t>(in.tellg());
  const std::size_t start = size > max_bytes + 1 ? size - max_bytes - 1 : 0;
  std::string bytes(size - start, '\0');
  in.seekg(static_cast<std::streamoff>(start));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) {
    return fail("cannot read {}", quote(file.string()));
  }
  return bytes;
}

class Collector {
 public:
  Collector(const AssetFolder& folder, const BlobFetcher& fetch, const InputSide& side)
      : m_folder(folder), m_fetch(fetch), m_side(side) {}

  // Fetch every image blob of `runs` and compare every changed pair, in parallel (fetching is
  // bound by round trips to a remote store, decoding by the CPU), so that run_extras finds them.
  Expected<void> prepare(const std::vector<RunComparison>& runs) {
    std::map<std::string, std::pair<core::FileEntry, std::string>> blobs;  // hex -> entry, path
    std::map<std::string, std::pair<std::string, std::string>> pairs;      // key -> hex, hex
    for (const auto& run : runs) {
      if (const auto* entry = thumbnail_entry(run); entry != nullptr) {
        m_thumbnails.insert(entry->hash.hex());
      }
      for (const auto& path : image_paths(run)) {
        const auto* image = find(run.record, path);
        const auto* reference = find(run.reference, path);
        for (const auto* entry : {image, reference}) {
          if (entry != nullptr) {
            blobs.try_emplace(entry->hash.hex(), *entry, path);
          }
        }
        if (image != nullptr && reference != nullptr && !(*image == *reference)) {
          pairs.try_emplace(image->hash.hex() + "-" + reference->hash.hex(), image->hash.hex(),
                            reference->hash.hex());
        }
      }
    }
    if (blobs.empty()) {
      return {};
    }
    QA_TRY(ensure_dir());
    const std::vector<std::pair<std::string, std::pair<core::FileEntry, std::string>>> blob_list(
        blobs.begin(), blobs.end());
    std::vector<std::optional<Expected<Asset>>> assets(blob_list.size());
    util::parallel_for(
        blob_list.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            assets[i] = make_asset(blob_list[i].second.first, blob_list[i].second.second);
          }
        },
        k_threads, 1);
    for (std::size_t i = 0; i < blob_list.size(); ++i) {
      QA_TRY_ASSIGN(auto made, std::move(*assets[i]));
      m_assets.emplace(blob_list[i].first, std::move(made));
    }
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>> pair_list;
    for (const auto& item : pairs) {
      const Asset& image = m_assets.at(item.second.first);
      const Asset& reference = m_assets.at(item.second.second);
      if (image.note.empty() && reference.note.empty()) {
        pair_list.push_back(item);
      }
    }
    std::vector<std::optional<Expected<PairResult>>> results(pair_list.size());
    util::parallel_for(
        pair_list.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            results[i] =
                make_pair_result(pair_list[i].first, m_assets.at(pair_list[i].second.first),
                                 m_assets.at(pair_list[i].second.second));
          }
        },
        0, 1);
    for (std::size_t i = 0; i < pair_list.size(); ++i) {
      QA_TRY_ASSIGN(auto made, std::move(*results[i]));
      m_pairs.emplace(pair_list[i].first, std::move(made));
    }
    return {};
  }

  // Return the extras of `run`, or null when it has nothing to show; `tail` is the end of its log
  // (or null), `inputs` its input-side files and `views` the views of its other outputs (arrays).
  Expected<nlohmann::json> run_extras(const RunComparison& run, nlohmann::json tail,
                                      nlohmann::json inputs, nlohmann::json views) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto& path : image_paths(run)) {
      QA_TRY_ASSIGN(auto image,
                    image_entry(path, find(run.record, path), find(run.reference, path)));
      const std::size_t index = visualization_of(m_side.visualizations, path);
      if (index < m_side.visualizations.size()) {
        image["name"] = m_side.visualizations[index].name;
        image["hidden"] = m_side.visualizations[index].default_hidden;
      }
      images.push_back(std::move(image));
    }
    if (images.empty() && tail.is_null() && inputs.empty() && views.empty()) {
      return nlohmann::json(nullptr);
    }
    nlohmann::json thumbnail = nullptr;
    if (const auto* entry = thumbnail_entry(run); entry != nullptr) {
      const auto it = m_assets.find(entry->hash.hex());
      if (it != m_assets.end() && !it->second.thumbnail_url.empty()) {
        thumbnail = it->second.thumbnail_url;
      }
    }
    nlohmann::json extras{{"images", std::move(images)},
                          {"log_tail", std::move(tail)},
                          {"thumbnail", std::move(thumbnail)},
                          {"inputs", std::move(inputs)}};
    if (!views.empty()) {
      extras["views"] = std::move(views);
    }
    return extras;
  }

  // Return the input-side files of `run` (see run_file_entries); thread-safe.
  Expected<nlohmann::json> run_inputs(const RunComparison& run) const {
    const core::RunRecord* record = run.record != nullptr ? run.record : run.reference;
    if (record == nullptr) {
      return nlohmann::json::array();
    }
    return run_file_entries(*record, m_side, m_folder);
  }

  // Return the end of the log of `run` (null without log); thread-safe.
  nlohmann::json run_log_tail(const RunComparison& run) {
    if (run.record == nullptr || !run.record->log) {
      return nullptr;
    }
    return log_tail_of(run.record->log->entry);
  }

 private:
  // Fetches at once: enough to hide the round trips to a remote store.
  static constexpr std::size_t k_threads = 8;

  // Return the paths of the image files of either side of `run`: in the order of the
  // visualizations that match them, those no visualization names last, each group sorted.
  std::vector<std::string> image_paths(const RunComparison& run) const {
    std::set<std::pair<std::size_t, std::string>> paths;
    for (const auto* record : {run.record, run.reference}) {
      if (record != nullptr) {
        for (const auto& [path, entry] : record->files) {
          if (image_kind(path) != ImageKind::none) {
            paths.emplace(visualization_of(m_side.visualizations, path), path);
          }
        }
      }
    }
    std::vector<std::string> out;
    out.reserve(paths.size());
    for (const auto& item : paths) {
      out.push_back(item.second);
    }
    return out;
  }

  // Return the blob of the image of `run` its row shows: the first changed image that is not
  // hidden by default (else the first image), the new side's, else the reference's.
  const core::FileEntry* thumbnail_entry(const RunComparison& run) const {
    const core::FileEntry* first = nullptr;
    for (const auto& path : image_paths(run)) {
      const auto* image = find(run.record, path);
      const auto* reference = find(run.reference, path);
      const auto* shown = image != nullptr ? image : reference;
      const std::size_t index = visualization_of(m_side.visualizations, path);
      if (index < m_side.visualizations.size() && m_side.visualizations[index].default_hidden) {
        continue;
      }
      first = first != nullptr ? first : shown;
      if (image != nullptr && reference != nullptr && !(*image == *reference)) {
        return image;
      }
    }
    return first;
  }

  static const core::FileEntry* find(const core::RunRecord* record, const std::string& path) {
    if (record == nullptr) {
      return nullptr;
    }
    const auto it = record->files.find(path);
    return it == record->files.end() ? nullptr : &it->second;
  }

  Expected<void> ensure_dir() {
    if (!m_dir_ready) {
      QA_TRY(util::create_dirs(m_folder.dir));
      m_dir_ready = true;
    }
    return {};
  }

  fs::path temp_path(const std::string& hex) {
    return m_folder.dir / fmt::format(".qa-fetch-{}-{}-{}.tmp", hex, ::getpid(), m_temp_count++);
  }

  // Return the asset of the blob `entry` of the image file `path` (prepared, or made now).
  Expected<const Asset*> asset(const core::FileEntry& entry, const std::string& path) {
    const std::string hex = entry.hash.hex();
    if (const auto it = m_assets.find(hex); it != m_assets.end()) {
      return &it->second;
    }
    QA_TRY(ensure_dir());
    QA_TRY_ASSIGN(auto made, make_asset(entry, path));
    return &m_assets.emplace(hex, std::move(made)).first->second;
  }

  // Fetch the blob `entry` of the image file `path` into the assets folder (thread-safe).
  Expected<Asset> make_asset(const core::FileEntry& entry, const std::string& path) {
    const std::string hex = entry.hash.hex();
    const ImageKind kind = image_kind(path);
    const std::string name = hex + (kind == ImageKind::jpeg ? ".jpg" : ".png");
    Asset asset;
    asset.file = m_folder.dir / name;
    asset.url = m_folder.url_prefix + name;
    std::error_code error;
    if (!fs::exists(asset.file, error)) {
      const fs::path target = kind == ImageKind::pnm ? temp_path(hex) : asset.file;
      const RemoveOnExit remove_temp(kind == ImageKind::pnm ? target : fs::path());
      if (auto fetched = m_fetch(entry.hash, target); !fetched) {
        asset.note =
            fmt::format("cannot fetch {} ({}): {}", quote(path), hex, fetched.error().message);
      } else if (kind == ImageKind::pnm) {
        if (auto image = load_image(target); !image) {
          asset.note = fmt::format("cannot decode {}: {}", quote(path), image.error().message);
        } else {
          QA_TRY(write_png(*image, asset.file));
        }
      }
    }
    if (!asset.note.empty()) {
      asset.url.clear();
      return asset;
    }
    // The size, a preview when large, a thumbnail when a run's row shows it.
    if (auto image = load_image(asset.file); image) {
      asset.width = image->width;
      asset.height = image->height;
      QA_TRY_ASSIGN(asset.preview_url, write_preview(*image, m_folder, hex + "-preview.png"));
      if (m_thumbnails.count(hex) != 0) {
        const std::string thumbnail = hex + "-thumb.png";
        if (!fs::exists(m_folder.dir / thumbnail, error)) {
          QA_TRY(write_png(downscale_to_fit(*image, k_thumbnail_side), m_folder.dir / thumbnail));
        }
        asset.thumbnail_url = m_folder.url_prefix + thumbnail;
      }
    }
    return asset;
  }

  // Return the statistics and difference image of `image` against `reference`.
  Expected<const PairResult*> pair(const core::FileEntry& image, const Asset& image_asset,
                                   const core::FileEntry& reference, const Asset& reference_asset) {
    const std::string key = image.hash.hex() + "-" + reference.hash.hex();
    if (const auto it = m_pairs.find(key); it != m_pairs.end()) {
      return &it->second;
    }
    QA_TRY_ASSIGN(auto made, make_pair_result(key, image_asset, reference_asset));
    return &m_pairs.emplace(key, std::move(made)).first->second;
  }

  // Compare the images of two assets; write their difference image (thread-safe).
  Expected<PairResult> make_pair_result(const std::string& key, const Asset& image_asset,
                                        const Asset& reference_asset) const {
    PairResult result;
    auto& fields = result.fields;
    auto decoded = load_image(image_asset.file);
    auto decoded_reference = load_image(reference_asset.file);
    if (!decoded || !decoded_reference) {
      fields["note"] = !decoded ? decoded.error().message : decoded_reference.error().message;
    } else {
      fields["width"] = decoded->width;
      fields["height"] = decoded->height;
      fields["reference_width"] = decoded_reference->width;
      fields["reference_height"] = decoded_reference->height;
      if (const auto stats = compare_images(*decoded, *decoded_reference); !stats) {
        fields["note"] = "sizes differ";
      } else {
        fields["stats"] = {{"max_abs_diff", stats->max_abs_diff},
                           {"psnr", std::isinf(stats->psnr) ? nlohmann::json(nullptr)
                                                            : nlohmann::json(stats->psnr)},
                           {"changed_share", stats->changed_share},
                           {"changed_pixels", stats->changed_pixels}};
        // The colour map: its file name says it, so that an older grey difference image left
        // in the folder is never taken for it.
        const std::string name = key + "-diffmap.png";
        const DifferenceMap map = difference_map(*decoded, *decoded_reference);
        std::error_code error;
        if (!fs::exists(m_folder.dir / name, error)) {
          QA_TRY(write_png(map.image, m_folder.dir / name));
        }
        fields["diff"] = m_folder.url_prefix + name;
        fields["diff_max"] = map.max_value;
        fields["colormap"] = "viridis";
        QA_TRY_ASSIGN(const std::string preview,
                      write_preview(map.image, m_folder, key + "-diffmap-preview.png"));
        fields["diff_preview"] =
            preview.empty() ? nlohmann::json(nullptr) : nlohmann::json(preview);
      }
    }
    return result;
  }

  Expected<nlohmann::json> image_entry(const std::string& path, const core::FileEntry* image,
                                       const core::FileEntry* reference) {
    nlohmann::json entry{{"path", path},    {"new", nullptr},   {"reference", nullptr},
                         {"diff", nullptr}, {"stats", nullptr}, {"note", nullptr}};
    entry["change"] = image == nullptr       ? "only-reference"
                      : reference == nullptr ? "only-new"
                      : *image == *reference ? "identical"
                                             : "changed";
    const Asset* image_asset = nullptr;
    const Asset* reference_asset = nullptr;
    std::string note;
    if (image != nullptr) {
      QA_TRY_ASSIGN(image_asset, asset(*image, path));
      note = image_asset->note;
    }
    if (reference != nullptr) {
      QA_TRY_ASSIGN(reference_asset, asset(*reference, path));
      note = note.empty() ? reference_asset->note : note;
    }
    const auto preview = [](const Asset& asset) {
      return asset.preview_url.empty() ? nlohmann::json(nullptr)
                                       : nlohmann::json(asset.preview_url);
    };
    if (image_asset != nullptr && !image_asset->url.empty()) {
      entry["new"] = image_asset->url;
      entry["new_preview"] = preview(*image_asset);
      if (image_asset->width > 0) {
        entry["width"] = image_asset->width;
        entry["height"] = image_asset->height;
      }
    }
    if (reference_asset != nullptr && !reference_asset->url.empty()) {
      entry["reference"] = reference_asset->url;
      entry["reference_preview"] = preview(*reference_asset);
      if (reference_asset->width > 0) {
        entry["reference_width"] = reference_asset->width;
        entry["reference_height"] = reference_asset->height;
      }
    }
    if (!note.empty()) {
      entry["note"] = note;
    } else if (image != nullptr && reference != nullptr) {
      if (image->hash == reference->hash) {
        entry["stats"] = {
            {"max_abs_diff", 0}, {"psnr", nullptr}, {"changed_share", 0}, {"changed_pixels", 0}};
      } else {
        QA_TRY_ASSIGN(const PairResult* result,
                      pair(*image, *image_asset, *reference, *reference_asset));
        entry.update(result->fields);
      }
    }
    return entry;
  }

  nlohmann::json log_tail_of(const core::FileEntry& log) {
    const std::string hex = log.hash.hex();
    const fs::path temp = temp_path(hex);
    const RemoveOnExit remove_temp(temp);
    if (auto fetched = m_fetch(log.hash, temp); !fetched) {
      return "(cannot fetch the log: " + fetched.error().message + ")";
    }
    auto bytes = read_end(temp, k_tail_bytes);
    if (!bytes) {
      return "(" + bytes.error().message + ")";
    }
    return log_tail(*bytes, k_tail_lines, k_tail_bytes);
  }

  static constexpr std::size_t k_tail_lines = 40;
  static constexpr std::size_t k_tail_bytes = 4096;

  const AssetFolder& m_folder;
  const BlobFetcher& m_fetch;
  const InputSide& m_side;
  std::set<std::string> m_thumbnails;  // hex of the blobs a run's row shows
  bool m_dir_ready = false;
  std::atomic<std::uint64_t> m_temp_count{0};
  std::map<std::string, Asset> m_assets;
  std::map<std::string, PairResult> m_pairs;
};

}  // namespace

Expected<std::string> collect_html_extras(const Comparison& comparison, const AssetFolder& folder,
                                          const BlobFetcher& fetch, const InputSide& side) {
  if (!fetch) {
    return std::string("[]");
  }
  Collector collector(folder, fetch, side);
  QA_TRY(collector.prepare(comparison.runs));
  // Log tails are fetched in parallel too; the folder must exist first for their temp files.
  const bool any_log = std::any_of(
      comparison.runs.begin(), comparison.runs.end(),
      [](const RunComparison& run) { return run.record != nullptr && run.record->log; });
  std::vector<nlohmann::json> tails(comparison.runs.size());
  if (any_log && util::create_dirs(folder.dir)) {
    util::parallel_for(
        comparison.runs.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            tails[i] = collector.run_log_tail(comparison.runs[i]);
          }
        },
        8, 1);
  }
  // Input-side files too, when a visualization names some.
  std::vector<std::optional<Expected<nlohmann::json>>> inputs(comparison.runs.size());
  const bool any_input = !side.project_root.empty() &&
                         std::any_of(side.visualizations.begin(), side.visualizations.end(),
                                     [](const core::Visualization& v) {
                                       return !v.path.empty() && core::names_run_file(v);
                                     });
  if (any_input) {
    QA_TRY(util::create_dirs(folder.dir));
    util::parallel_for(
        comparison.runs.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            inputs[i] = collector.run_inputs(comparison.runs[i]);
          }
        },
        0, 1);
  }
  OutputViewOptions view_options;
  view_options.viewers_dir = viewers_dir(k_plotly_file).value_or(fs::path());
  view_options.visualizations = side.visualizations;
  OutputViews views(folder, fetch, std::move(view_options));
  QA_TRY(views.prepare(comparison.runs));
  // Each run's extras are written as text as soon as they are made: the documents of 100,000
  // runs would weigh ten times their text.
  bool any = false;
  std::string extras = "[";
  for (std::size_t i = 0; i < comparison.runs.size(); ++i) {
    nlohmann::json run_inputs = nlohmann::json::array();
    if (inputs[i]) {
      QA_TRY_ASSIGN(run_inputs, std::move(*inputs[i]));
    }
    QA_TRY_ASSIGN(auto run_views, views.run_views(comparison.runs[i]));
    QA_TRY_ASSIGN(auto run_extras,
                  collector.run_extras(comparison.runs[i], std::move(tails[i]),
                                       std::move(run_inputs), std::move(run_views)));
    any = any || !run_extras.is_null();
    if (i > 0) {
      extras += ',';
    }
    extras += dump_json(run_extras);
  }
  extras += ']';
  return any ? extras : std::string("[]");
}

}  // namespace qa::report
