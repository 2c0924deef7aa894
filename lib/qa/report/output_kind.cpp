#include <qa/report/output_kind.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace qa::report {

namespace {

// Return the extension of `path`'s file name, lowercase, without its dot ("" when none).
std::string extension(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) {
    return {};
  }
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return ext;
}

constexpr std::array<std::pair<std::string_view, OutputKind>, 27> k_kinds{{
    {"txt", OutputKind::text},   {"log", OutputKind::text},        {"md", OutputKind::text},
    {"rst", OutputKind::text},   {"yaml", OutputKind::text},       {"yml", OutputKind::text},
    {"xml", OutputKind::text},   {"ini", OutputKind::text},        {"cfg", OutputKind::text},
    {"conf", OutputKind::text},  {"toml", OutputKind::text},       {"out", OutputKind::text},
    {"err", OutputKind::text},   {"diff", OutputKind::text},       {"patch", OutputKind::text},
    {"json", OutputKind::json},  {"csv", OutputKind::csv},         {"tsv", OutputKind::csv},
    {"html", OutputKind::html},  {"htm", OutputKind::html},        {"mp4", OutputKind::video},
    {"webm", OutputKind::video}, {"ogv", OutputKind::video},       {"mov", OutputKind::video},
    {"m4v", OutputKind::video},  {"ply", OutputKind::point_cloud}, {"pcd", OutputKind::point_cloud},
}};

}  // namespace

OutputKind output_kind(std::string_view path) {
  const std::string ext = extension(path);
  for (const auto& [name, kind] : k_kinds) {
    if (name == ext) {
      return kind;
    }
  }
  return OutputKind::none;
}

OutputKind visualization_kind(std::string_view type, std::string_view path) {
  const auto starts = [&](std::string_view prefix) { return type.rfind(prefix, 0) == 0; };
  const auto ends = [&](std::string_view suffix) {
    return type.size() >= suffix.size() && type.substr(type.size() - suffix.size()) == suffix;
  };
  if (type.empty()) {
    const OutputKind kind = output_kind(path);
    return kind == OutputKind::none ? OutputKind::text : kind;
  }
  if (starts("image/")) {
    return OutputKind::none;
  }
  if (type == "json" || ends("/json")) {
    return OutputKind::json;
  }
  if (type == "html" || ends("/html")) {
    return OutputKind::html;
  }
  if (starts("video/")) {
    return OutputKind::video;
  }
  if (type == "csv" || ends("/csv")) {
    return OutputKind::csv;
  }
  if (starts("pointcloud/")) {
    return output_kind(path) == OutputKind::point_cloud ? OutputKind::point_cloud
                                                        : OutputKind::text;
  }
  return OutputKind::text;
}

std::string_view output_kind_name(OutputKind kind) {
  switch (kind) {
    case OutputKind::text:
      return "text";
    case OutputKind::json:
      return "json";
    case OutputKind::csv:
      return "csv";
    case OutputKind::html:
      return "html";
    case OutputKind::video:
      return "video";
    case OutputKind::point_cloud:
      return "point_cloud";
    case OutputKind::none:
      break;
  }
  return "none";
}

bool is_plotly_figure(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("data")) {
    return false;
  }
  const auto& data = json["data"];
  if (!data.is_array() || data.empty() ||
      !std::all_of(data.begin(), data.end(), [](const auto& trace) { return trace.is_object(); })) {
    return false;
  }
  if (json.contains("layout") && !json["layout"].is_object()) {
    return false;
  }
  return std::all_of(json.items().begin(), json.items().end(), [](const auto& item) {
    return item.key() == "data" || item.key() == "layout" || item.key() == "frames" ||
           item.key() == "config";
  });
}

std::string_view video_mime_type(std::string_view path) {
  const std::string ext = extension(path);
  if (ext == "mp4" || ext == "m4v") {
    return "video/mp4";
  }
  if (ext == "webm") {
    return "video/webm";
  }
  if (ext == "ogv") {
    return "video/ogg";
  }
  if (ext == "mov") {
    return "video/quicktime";
  }
  return "";
}

}  // namespace qa::report
