#include <qa/report/point_cloud.hpp>

#include <qa/util/strings.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

namespace qa::report {

namespace {

// One scalar field of a point: its type ('f' float, 'i' signed, 'u' unsigned), its size in
// bytes, and how many values it holds (PCD's COUNT; 1 in PLY).
struct Field {
  std::string name;
  char type = 'f';
  std::size_t size = 4;
  std::size_t count = 1;
};

// Where the fields that the viewer uses are in a point, as field indexes.
struct Layout {
  std::vector<Field> fields;
  std::optional<std::size_t> x, y, z, r, g, b, rgb;  // rgb: PCD's packed colour

  [[nodiscard]] std::size_t stride() const {
    std::size_t bytes = 0;
    for (const auto& field : fields) {
      bytes += field.size * field.count;
    }
    return bytes;
  }
};

std::optional<std::size_t> index_of(const std::vector<Field>& fields, std::string_view name) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) {
      return i;
    }
  }
  return std::nullopt;
}

Expected<Layout> make_layout(std::vector<Field> fields) {
  Layout layout;
  layout.x = index_of(fields, "x");
  layout.y = index_of(fields, "y");
  layout.z = index_of(fields, "z");
  if (!layout.x || !layout.y || !layout.z) {
    return fail("no x, y and z fields");
  }
  layout.r = index_of(fields, "red") ? index_of(fields, "red") : index_of(fields, "r");
  layout.g = index_of(fields, "green") ? index_of(fields, "green") : index_of(fields, "g");
  layout.b = index_of(fields, "blue") ? index_of(fields, "blue") : index_of(fields, "b");
  if (!layout.r || !layout.g || !layout.b) {
    layout.r = layout.g = layout.b = std::nullopt;
  }
  layout.rgb = index_of(fields, "rgb") ? index_of(fields, "rgb") : index_of(fields, "rgba");
  layout.fields = std::move(fields);
  return layout;
}

// Read a little-endian scalar of `field` at `data` as a double (the raw bits for `bits`).
double read_binary(const Field& field, const char* data, std::uint32_t* bits) {
  std::uint64_t raw = 0;
  std::memcpy(&raw, data, field.size);  // little-endian hosts only, as the formats
  if (bits != nullptr) {
    *bits = static_cast<std::uint32_t>(raw);
  }
  switch (field.type) {
    case 'f':
      return field.size == 4
                 ? static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(raw)))
                 : std::bit_cast<double>(raw);
    case 'i': {
      const unsigned shift = static_cast<unsigned>(64 - 8 * field.size);
      return static_cast<double>(static_cast<std::int64_t>(raw << shift) >> shift);
    }
    default:
      return static_cast<double>(raw);
  }
}

std::uint8_t colour_byte(const Field& field, double value) {
  const double scaled = field.type == 'f' ? value * 255.0 : value;
  if (!(scaled > 0.0)) {
    return 0;
  }
  return scaled >= 255.0 ? 255 : static_cast<std::uint8_t>(std::lround(scaled));
}

// The points read so far, before downsampling.
struct Points {
  std::vector<float> positions;
  std::vector<std::uint8_t> colors;
};

// Add the point whose field values are `values` (the raw bits of each in `bits`).
void add_point(const Layout& layout, const std::vector<double>& values,
               const std::vector<std::uint32_t>& bits, Points& points) {
  const double x = values[*layout.x];
  const double y = values[*layout.y];
  const double z = values[*layout.z];
  if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) {
    return;
  }
  points.positions.insert(points.positions.end(),
                          {static_cast<float>(x), static_cast<float>(y), static_cast<float>(z)});
  if (layout.r) {
    points.colors.insert(points.colors.end(),
                         {colour_byte(layout.fields[*layout.r], values[*layout.r]),
                          colour_byte(layout.fields[*layout.g], values[*layout.g]),
                          colour_byte(layout.fields[*layout.b], values[*layout.b])});
  } else if (layout.rgb) {
    const std::uint32_t packed = bits[*layout.rgb];
    points.colors.insert(points.colors.end(), {static_cast<std::uint8_t>(packed >> 16U),
                                               static_cast<std::uint8_t>(packed >> 8U),
                                               static_cast<std::uint8_t>(packed)});
  }
}

// Read `count` points of `layout` from the binary `data`; return what follows them.
Expected<std::string_view> read_binary_points(const Layout& layout, std::string_view data,
                                              std::size_t count, Points& points) {
  const std::size_t stride = layout.stride();
  if (stride == 0 || data.size() / stride < count) {
    return fail("the data holds fewer than the {} points of its header", count);
  }
  std::vector<double> values(layout.fields.size());
  std::vector<std::uint32_t> bits(layout.fields.size());
  for (std::size_t i = 0; i < count; ++i) {
    const char* at = data.data() + i * stride;
    for (std::size_t f = 0; f < layout.fields.size(); ++f) {
      values[f] = read_binary(layout.fields[f], at, &bits[f]);
      at += layout.fields[f].size * layout.fields[f].count;
    }
    add_point(layout, values, bits, points);
  }
  return data.substr(count * stride);
}

// Split `line` at blanks.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
      ++i;
    }
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
      ++i;
    }
    if (i > start) {
      out.push_back(line.substr(start, i - start));
    }
  }
  return out;
}

// Take the next line of `text` (without its newline).
std::string_view next_line(std::string_view& text) {
  const auto newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  return line;
}

std::optional<double> parse_number(std::string_view word) {
  double value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc() || end != word.data() + word.size()) {
    if (word == "nan" || word == "NaN" || word == "-nan") {
      return std::nan("");
    }
    return std::nullopt;
  }
  return value;
}

// Read `count` text points of `layout`, one a line; return what follows them.
Expected<std::string_view> read_ascii_points(const Layout& layout, std::string_view text,
                                             std::size_t count, Points& points) {
  std::vector<double> values(layout.fields.size());
  std::vector<std::uint32_t> bits(layout.fields.size());
  for (std::size_t i = 0; i < count; ++i) {
    if (text.empty()) {
      return fail("the data holds {} of the {} points of its header", i, count);
    }
    const auto line = words(next_line(text));
    std::size_t word = 0;
    for (std::size_t f = 0; f < layout.fields.size(); ++f) {
      const Field& field = layout.fields[f];
      if (word + field.count > line.size()) {
        return fail("point {}: {} values, expected more", i + 1, line.size());
      }
      const auto value = parse_number(line[word]);
      if (!value) {
        return fail("point {}: {} is not a number", i + 1, quote(line[word]));
      }
      values[f] = *value;
      bits[f] = field.type == 'f' ? std::bit_cast<std::uint32_t>(static_cast<float>(*value))
                                  : static_cast<std::uint32_t>(static_cast<std::int64_t>(*value));
      word += field.count;
    }
    add_point(layout, values, bits, points);
  }
  return text;
}

// Return the field of the PLY scalar type `type`, or nothing when it is unknown.
std::optional<Field> ply_field(std::string_view type, std::string_view name) {
  struct Type {
    std::string_view name;
    char type;
    std::size_t size;
  };
  static constexpr Type k_types[] = {
      {"char", 'i', 1},  {"int8", 'i', 1},    {"uchar", 'u', 1},  {"uint8", 'u', 1},
      {"short", 'i', 2}, {"int16", 'i', 2},   {"ushort", 'u', 2}, {"uint16", 'u', 2},
      {"int", 'i', 4},   {"int32", 'i', 4},   {"uint", 'u', 4},   {"uint32", 'u', 4},
      {"float", 'f', 4}, {"float32", 'f', 4}, {"double", 'f', 8}, {"float64", 'f', 8}};
  for (const auto& known : k_types) {
    if (known.name == type) {
      return Field{std::string(name), known.type, known.size, 1};
    }
  }
  return std::nullopt;
}

struct PlyElement {
  std::string name;
  std::size_t count = 0;
  std::vector<Field> fields;
  bool has_list = false;
};

Expected<Points> parse_ply(std::string_view text) {
  next_line(text);  // "ply"
  std::string format;
  std::vector<PlyElement> elements;
  for (;;) {
    if (text.empty()) {
      return fail("no end_header");
    }
    const auto line = words(next_line(text));
    if (line.empty() || line[0] == "comment" || line[0] == "obj_info") {
      continue;
    }
    if (line[0] == "end_header") {
      break;
    }
    if (line[0] == "format" && line.size() >= 2) {
      format = std::string(line[1]);
    } else if (line[0] == "element" && line.size() == 3) {
      PlyElement element{std::string(line[1]), 0, {}, false};
      const auto [end, error] =
          std::from_chars(line[2].data(), line[2].data() + line[2].size(), element.count);
      if (error != std::errc() || end != line[2].data() + line[2].size()) {
        return fail("element {}: invalid count {}", quote(line[1]), quote(line[2]));
      }
      elements.push_back(std::move(element));
    } else if (line[0] == "property" && !elements.empty()) {
      if (line.size() >= 2 && line[1] == "list") {
        elements.back().has_list = true;
        continue;
      }
      if (line.size() != 3) {
        return fail("invalid property line");
      }
      auto field = ply_field(line[1], line[2]);
      if (!field) {
        return fail("unknown property type {}", quote(line[1]));
      }
      elements.back().fields.push_back(std::move(*field));
    } else {
      return fail("unknown header line {}", quote(line[0]));
    }
  }
  if (format != "ascii" && format != "binary_little_endian") {
    return fail("unsupported format {} (ascii and binary_little_endian are)", quote(format));
  }
  Points points;
  for (const auto& element : elements) {
    if (element.name != "vertex") {
      if (format == "ascii") {
        for (std::size_t i = 0; i < element.count && !text.empty(); ++i) {
          next_line(text);
        }
        continue;
      }
      if (element.has_list) {
        return fail("element {} before the vertices has a list property", quote(element.name));
      }
      std::size_t stride = 0;
      for (const auto& field : element.fields) {
        stride += field.size;
      }
      if (text.size() / std::max<std::size_t>(stride, 1) < element.count) {
        return fail("the data ends inside element {}", quote(element.name));
      }
      text.remove_prefix(stride * element.count);
      continue;
    }
    if (element.has_list) {
      return fail("the vertex element has a list property");
    }
    QA_TRY_ASSIGN(const Layout layout, make_layout(element.fields));
    if (format == "ascii") {
      QA_TRY(read_ascii_points(layout, text, element.count, points));
    } else {
      QA_TRY(read_binary_points(layout, text, element.count, points));
    }
    return points;
  }
  return fail("no vertex element");
}

Expected<Points> parse_pcd(std::string_view text) {
  std::vector<std::string_view> names, sizes, types, counts;
  std::size_t total = 0;
  std::string data;
  while (data.empty()) {
    if (text.empty()) {
      return fail("no DATA line");
    }
    auto line = words(next_line(text));
    if (line.empty() || line[0].starts_with('#')) {
      continue;
    }
    const std::string_view key = line[0];
    line.erase(line.begin());
    if (key == "FIELDS") {
      names = line;
    } else if (key == "SIZE") {
      sizes = line;
    } else if (key == "TYPE") {
      types = line;
    } else if (key == "COUNT") {
      counts = line;
    } else if (key == "POINTS" && line.size() == 1) {
      const auto [end, error] =
          std::from_chars(line[0].data(), line[0].data() + line[0].size(), total);
      if (error != std::errc() || end != line[0].data() + line[0].size()) {
        return fail("invalid POINTS {}", quote(line[0]));
      }
    } else if (key == "DATA" && line.size() == 1) {
      data = std::string(line[0]);
    }
  }
  if (names.empty() || sizes.size() != names.size() || types.size() != names.size() ||
      (!counts.empty() && counts.size() != names.size())) {
    return fail("FIELDS, SIZE, TYPE and COUNT do not match");
  }
  std::vector<Field> fields;
  for (std::size_t i = 0; i < names.size(); ++i) {
    Field field{std::string(names[i]), 'f', 0, 1};
    field.type = types[i] == "F" ? 'f' : types[i] == "I" ? 'i' : types[i] == "U" ? 'u' : '?';
    field.size = sizes[i] == "1"   ? 1
                 : sizes[i] == "2" ? 2
                 : sizes[i] == "4" ? 4
                 : sizes[i] == "8" ? 8
                                   : 0;
    if (field.type == '?' || field.size == 0 || (field.type == 'f' && field.size < 4)) {
      return fail("field {}: unsupported TYPE {} SIZE {}", quote(names[i]), quote(types[i]),
                  quote(sizes[i]));
    }
    if (!counts.empty()) {
      const auto [end, error] =
          std::from_chars(counts[i].data(), counts[i].data() + counts[i].size(), field.count);
      if (error != std::errc() || field.count == 0) {
        return fail("field {}: invalid COUNT {}", quote(names[i]), quote(counts[i]));
      }
    }
    fields.push_back(std::move(field));
  }
  QA_TRY_ASSIGN(const Layout layout, make_layout(std::move(fields)));
  Points points;
  if (data == "ascii") {
    QA_TRY(read_ascii_points(layout, text, total, points));
  } else if (data == "binary") {
    QA_TRY(read_binary_points(layout, text, total, points));
  } else {
    return fail("unsupported DATA {} (ascii and binary are)", quote(data));
  }
  return points;
}

}  // namespace

Expected<PointCloud> parse_point_cloud(std::string_view bytes, std::size_t max_points) {
  Expected<Points> points = bytes.starts_with("ply\n") || bytes.starts_with("ply\r\n")
                                ? parse_ply(bytes)
                                : parse_pcd(bytes);
  if (!points) {
    return fail("invalid point cloud: {}", points.error().message);
  }
  PointCloud cloud;
  cloud.total = points->positions.size() / 3;
  const std::size_t step =
      max_points == 0 ? cloud.total + 1 : (cloud.total + max_points - 1) / max_points;
  if (step <= 1) {
    cloud.positions = std::move(points->positions);
    cloud.colors = std::move(points->colors);
    return cloud;
  }
  const bool colored = !points->colors.empty();
  for (std::size_t i = 0; i < cloud.total; i += step) {
    for (std::size_t k = 3 * i; k < 3 * i + 3; ++k) {
      cloud.positions.push_back(points->positions[k]);
      if (colored) {
        cloud.colors.push_back(points->colors[k]);
      }
    }
  }
  return cloud;
}

}  // namespace qa::report
