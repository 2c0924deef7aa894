#include <qa/report/output_payload.hpp>

#include <qa/report/point_cloud.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace qa::report {

std::string_view cut_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  const std::string_view head = text.substr(0, max_bytes);
  const auto newline = head.find_last_of('\n');
  if (newline != std::string_view::npos) {
    return head.substr(0, newline + 1);
  }
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return text.substr(0, end);
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter,
                                                std::size_t max_rows) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool complete = true;  // whether the row being read ended with a line break or the text
  std::size_t i = 0;
  while (i < text.size() && rows.size() < max_rows) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
    } else if (c == delimiter) {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      i += c == '\r' ? 2 : 1;
      continue;
    } else {
      cell += c;
    }
    ++i;
  }
  complete = !quoted;
  if (rows.size() < max_rows && complete && (!row.empty() || !cell.empty())) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

nlohmann::json text_payload(std::string_view bytes, const PayloadCaps& caps) {
  const std::string_view shown = cut_text(bytes, caps.max_bytes);
  return {{"size", bytes.size()}, {"truncated", shown.size() < bytes.size()}, {"text", shown}};
}

nlohmann::json json_payload(std::string_view bytes, const PayloadCaps& caps) {
  if (bytes.size() > caps.max_bytes) {
    auto payload = text_payload(bytes, caps);
    payload["note"] = "too large for a table: shown as text";
    return payload;
  }
  auto value = nlohmann::json::parse(bytes, nullptr, false);
  if (value.is_discarded()) {
    auto payload = text_payload(bytes, caps);
    payload["note"] = "not valid JSON: shown as text";
    return payload;
  }
  const bool plotly = is_plotly_figure(value);
  return {
      {"size", bytes.size()}, {"truncated", false}, {"json", std::move(value)}, {"plotly", plotly}};
}

nlohmann::json csv_payload(std::string_view path, std::string_view bytes, const PayloadCaps& caps) {
  const std::string_view shown = cut_text(bytes, caps.max_bytes);
  std::string ending(path.substr(path.size() >= 4 ? path.size() - 4 : 0));
  std::transform(ending.begin(), ending.end(), ending.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const bool tsv = ending == ".tsv";
  const char delimiter = tsv ? '\t' : ',';
  auto rows = parse_csv(shown, delimiter, caps.max_rows);
  const std::size_t lines = static_cast<std::size_t>(std::count(shown.begin(), shown.end(), '\n'));
  const bool truncated =
      shown.size() < bytes.size() || (rows.size() == caps.max_rows && lines > caps.max_rows);
  return {{"size", bytes.size()},
          {"truncated", truncated},
          {"delimiter", std::string(1, delimiter)},
          {"rows", std::move(rows)}};
}

nlohmann::json points_payload(std::string_view bytes, const PayloadCaps& caps) {
  auto cloud = parse_point_cloud(bytes, caps.max_points);
  if (!cloud) {
    auto payload = text_payload(bytes, PayloadCaps{std::min<std::size_t>(caps.max_bytes, 65536),
                                                   caps.max_rows, caps.max_points});
    payload["note"] = cloud.error().message;
    return payload;
  }
  const std::size_t shown = cloud->positions.size() / 3;
  std::array<float, 3> low{0, 0, 0};
  std::array<float, 3> high{0, 0, 0};
  for (std::size_t i = 0; i < shown; ++i) {
    for (std::size_t axis = 0; axis < 3; ++axis) {
      const float value = cloud->positions[3 * i + axis];
      low[axis] = i == 0 ? value : std::min(low[axis], value);
      high[axis] = i == 0 ? value : std::max(high[axis], value);
    }
  }
  std::array<double, 3> scale{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    scale[axis] = (static_cast<double>(high[axis]) - static_cast<double>(low[axis])) / 65535.0;
  }
  nlohmann::json q = nlohmann::json::array();
  q.get_ref<nlohmann::json::array_t&>().reserve(cloud->positions.size());
  for (std::size_t i = 0; i < cloud->positions.size(); ++i) {
    const std::size_t axis = i % 3;
    const double value =
        scale[axis] > 0 ? static_cast<double>(cloud->positions[i] - low[axis]) / scale[axis] : 0.0;
    q.push_back(static_cast<std::uint32_t>(std::clamp(std::lround(value), 0L, 65535L)));
  }
  nlohmann::json colors = nullptr;
  if (!cloud->colors.empty()) {
    colors = cloud->colors;
  }
  return {{"size", bytes.size()},
          {"truncated", shown < cloud->total},
          {"points",
           {{"total", cloud->total},
            {"shown", shown},
            {"min", low},
            {"scale", scale},
            {"q", std::move(q)},
            {"colors", std::move(colors)}}}};
}

}  // namespace

nlohmann::json output_payload(OutputKind kind, std::string_view path, std::string_view bytes,
                              const PayloadCaps& caps) {
  switch (kind) {
    case OutputKind::json:
      return json_payload(bytes, caps);
    case OutputKind::csv:
      return csv_payload(path, bytes, caps);
    case OutputKind::html: {
      const std::string_view shown = cut_text(bytes, caps.max_bytes);
      return {{"size", bytes.size()}, {"truncated", shown.size() < bytes.size()}, {"html", shown}};
    }
    case OutputKind::point_cloud:
      return points_payload(bytes, caps);
    case OutputKind::text:
    case OutputKind::video:
    case OutputKind::none:
      break;
  }
  return text_payload(bytes, caps);
}

}  // namespace qa::report
