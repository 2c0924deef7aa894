#include <qa/report/html_outputs.hpp>

#include <qa/report/data_asset.hpp>
#include <qa/report/image_compare.hpp>
#include <qa/report/viewer_library.hpp>
#include <qa/util/file.hpp>
#include <qa/util/parallel.hpp>

#include <unistd.h>

#include <fstream>
#include <map>
#include <set>

namespace qa::report {

namespace fs = std::filesystem;

namespace {

const core::FileEntry* find(const core::RunRecord* record, const std::string& path) {
  if (record == nullptr) {
    return nullptr;
  }
  const auto it = record->files.find(path);
  return it == record->files.end() ? nullptr : &it->second;
}

std::string extension_of(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  std::string lower;
  for (const char c : ext) {
    lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return lower;
}

// Return the first `limit` bytes of the file `file` (all of it when shorter).
Expected<std::string> read_head(const fs::path& file, std::size_t limit) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail("cannot read {}", quote(file.string()));
  }
  std::string bytes(limit, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(limit));
  if (in.bad()) {
    return fail("cannot read {}", quote(file.string()));
  }
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace

OutputViews::OutputViews(const AssetFolder& folder, const BlobFetcher& fetch,
                         OutputViewOptions options)
    : m_folder(folder), m_fetch(fetch), m_options(std::move(options)) {}

const core::Visualization* OutputViews::visualization_of(std::string_view path) const {
  for (const auto& visualization : m_options.visualizations) {
    if (core::matches_output(visualization, path)) {
      return &visualization;
    }
  }
  return nullptr;
}

OutputViews::Viewable OutputViews::viewable(const RunComparison& run) const {
  Viewable paths;
  for (const auto* record : {run.record, run.reference}) {
    if (record != nullptr) {
      for (const auto& [path, entry] : record->files) {
        if (image_kind(path) != ImageKind::none || paths.contains(path)) {
          continue;
        }
        const core::Visualization* named = visualization_of(path);
        const OutputKind kind =
            named != nullptr ? visualization_kind(named->type, path) : output_kind(path);
        if (kind != OutputKind::none) {
          paths.emplace(path, std::pair(kind, named));
        }
      }
    }
  }
  return paths;
}

std::size_t OutputViews::weight(const core::FileEntry& entry, OutputKind kind) const {
  // A video is copied whole; the other files are read up to their cap.
  const auto size = static_cast<std::size_t>(entry.size);
  if (kind == OutputKind::video) {
    return size;
  }
  return std::min(size, kind == OutputKind::point_cloud ? m_options.caps.max_cloud_bytes
                                                        : m_options.caps.max_bytes);
}

bool OutputViews::admit(const core::FileEntry& entry, OutputKind kind) {
  const std::size_t bytes = weight(entry, kind);
  if (m_bytes + bytes > m_options.max_report_bytes || m_files >= m_options.max_report_files) {
    return false;
  }
  m_bytes += bytes;
  ++m_files;
  return true;
}

OutputViews::Side OutputViews::over_budget() const {
  Side side;
  side.note =
      fmt::format("not shown: the report's budget for output files ({} files, {} bytes) is spent",
                  m_options.max_report_files, m_options.max_report_bytes);
  return side;
}

Expected<void> OutputViews::prepare(const std::vector<RunComparison>& runs) {
  struct Wanted {
    std::string key;
    const core::FileEntry* entry;
    std::string path;
    OutputKind kind;
  };
  std::vector<Wanted> wanted;
  for (const auto& run : runs) {
    for (const auto& [path, chosen] : viewable(run)) {
      for (const auto* entry : {find(run.record, path), find(run.reference, path)}) {
        if (entry == nullptr) {
          continue;
        }
        std::string key = side_key(*entry, chosen.first);
        if (m_sides.contains(key)) {
          continue;
        }
        // The budgets go to the runs in their order (by severity) and are settled here, before
        // any fetch, so that the same report is made whatever order the threads finish in.
        if (!admit(*entry, chosen.first)) {
          m_sides.emplace(std::move(key), over_budget());
          continue;
        }
        m_sides.emplace(key, Side{});
        wanted.push_back(Wanted{std::move(key), entry, path, chosen.first});
      }
    }
  }
  if (wanted.empty()) {
    return {};
  }
  QA_TRY(util::create_dirs(m_folder.dir));
  std::vector<std::optional<Expected<Side>>> made(wanted.size());
  util::parallel_for(
      wanted.size(),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          made[i] = make_side(*wanted[i].entry, wanted[i].path, wanted[i].kind);
        }
      },
      0, 1);
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    QA_TRY_ASSIGN(m_sides[wanted[i].key], std::move(*made[i]));
  }
  return {};
}

Expected<nlohmann::json> OutputViews::run_views(const RunComparison& run) {
  const Viewable paths = viewable(run);
  nlohmann::json views = nlohmann::json::array();
  for (const auto& [path, chosen] : paths) {
    const auto [kind, named] = chosen;
    const core::FileEntry* image = find(run.record, path);
    const core::FileEntry* reference = find(run.reference, path);
    nlohmann::json view{
        {"path", path},
        {"kind", output_kind_name(kind)},
        // A name of its own: the parser names a visualization without one by its path.
        {"name", named != nullptr && named->name != named->path ? nlohmann::json(named->name)
                                                                : nlohmann::json(nullptr)},
        {"new", nullptr},
        {"reference", nullptr},
        {"note", nullptr}};
    view["change"] = image == nullptr       ? "only-reference"
                     : reference == nullptr ? "only-new"
                     : *image == *reference ? "identical"
                                            : "changed";
    std::string note;
    bool plotly = false;
    for (const auto& [entry, field] :
         {std::pair{image, "new"}, std::pair{reference, "reference"}}) {
      if (entry == nullptr) {
        continue;
      }
      QA_TRY_ASSIGN(const Side made, side(*entry, path, kind));
      if (made.url) {
        view[field] = *made.url;
      }
      plotly = plotly || made.plotly;
      if (note.empty()) {
        note = made.note;
      }
    }
    if (kind == OutputKind::video) {
      view["mime"] = video_mime_type(path);
    }
    if (plotly) {
      view["kind"] = "plotly";
      QA_TRY_ASSIGN(const auto library, plotly_library());
      view["library"] = library ? nlohmann::json(*library) : nlohmann::json(nullptr);
      if (!library && note.empty()) {
        note = "plotly.js is not installed: the figure is shown as a table";
      }
    }
    if (!note.empty()) {
      view["note"] = note;
    }
    views.push_back(std::move(view));
  }
  return views;
}

std::string OutputViews::side_key(const core::FileEntry& entry, OutputKind kind) {
  return std::string(output_kind_name(kind)) + " " + entry.hash.hex();
}

Expected<OutputViews::Side> OutputViews::side(const core::FileEntry& entry, const std::string& path,
                                              OutputKind kind) {
  const std::string key = side_key(entry, kind);
  if (const auto it = m_sides.find(key); it != m_sides.end()) {
    return it->second;
  }
  // Not prepared: made now, one at a time.
  if (!admit(entry, kind)) {
    return m_sides.emplace(key, over_budget()).first->second;
  }
  QA_TRY(util::create_dirs(m_folder.dir));
  QA_TRY_ASSIGN(auto made, make_side(entry, path, kind));
  return m_sides.emplace(key, std::move(made)).first->second;
}

fs::path OutputViews::temp_path(const std::string& hex) const {
  return m_folder.dir / fmt::format(".qa-view-{}-{}-{}.tmp", hex, ::getpid(), m_temp_count++);
}

Expected<OutputViews::Side> OutputViews::make_side(const core::FileEntry& entry,
                                                   const std::string& path, OutputKind kind) const {
  Side made;
  const std::string hex = entry.hash.hex();
  if (kind == OutputKind::video) {
    const std::string name = hex + extension_of(path);
    std::error_code error;
    if (!fs::exists(m_folder.dir / name, error)) {
      if (auto fetched = m_fetch(entry.hash, m_folder.dir / name); !fetched) {
        made.note = fmt::format("cannot fetch {}: {}", quote(path), fetched.error().message);
        return made;
      }
    }
    made.url = m_folder.url_prefix + url_encode_segment(name);
    return made;
  }
  const PayloadCaps& caps = m_options.caps;
  if (kind == OutputKind::point_cloud && entry.size > caps.max_cloud_bytes) {
    made.note = fmt::format("{} is too large to show: {} bytes (the viewer reads at most {})",
                            quote(path), entry.size, caps.max_cloud_bytes);
    return made;
  }
  const fs::path temp = temp_path(hex);
  auto fetched = m_fetch(entry.hash, temp);
  std::optional<Expected<std::string>> bytes;
  if (fetched) {
    // One byte past the cap tells the payload that the file was cut.
    bytes = read_head(temp,
                      kind == OutputKind::point_cloud ? caps.max_cloud_bytes : caps.max_bytes + 1);
  }
  std::error_code ignored;
  fs::remove(temp, ignored);
  if (!fetched) {
    made.note = fmt::format("cannot fetch {}: {}", quote(path), fetched.error().message);
    return made;
  }
  if (!*bytes) {
    made.note = bytes->error().message;
    return made;
  }
  nlohmann::json payload = output_payload(kind, path, **bytes, caps);
  payload["size"] = entry.size;
  made.plotly = payload.value("plotly", false);
  QA_TRY_ASSIGN(const DataAsset asset, write_data_asset(m_folder, payload));
  made.url = asset.url;
  return made;
}

Expected<std::optional<std::string>> OutputViews::plotly_library() {
  if (m_plotly) {
    return *m_plotly;
  }
  m_plotly.emplace();
  if (m_options.viewers_dir.empty()) {
    return *m_plotly;
  }
  const fs::path source = m_options.viewers_dir / k_plotly_file;
  const fs::path target = m_folder.dir / k_plotly_file;
  std::error_code error;
  if (!fs::is_regular_file(source, error)) {
    return *m_plotly;
  }
  QA_TRY(util::create_dirs(m_folder.dir));
  fs::copy_file(source, target, fs::copy_options::overwrite_existing, error);
  if (error) {
    return fail("cannot copy {} to {}: {}", quote(source.string()), quote(target.string()),
                error.message());
  }
  m_plotly->emplace(m_folder.url_prefix + std::string(k_plotly_file));
  return *m_plotly;
}

}  // namespace qa::report
