#include <qa/report/colour_map.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace qa::report {

std::array<std::uint8_t, 3> viridis(double value) {
  const double clamped = std::isnan(value) ? 0.0 : std::clamp(value, 0.0, 1.0);
  const double position = clamped * static_cast<double>(k_viridis_stops.size() - 1);
  const auto low = std::min(static_cast<std::size_t>(position), k_viridis_stops.size() - 2);
  const double t = position - static_cast<double>(low);
  std::array<std::uint8_t, 3> rgb{};
  for (std::size_t c = 0; c < 3; ++c) {
    const double a = k_viridis_stops[low][c];
    const double b = k_viridis_stops[low + 1][c];
    rgb[c] = static_cast<std::uint8_t>(std::lround(a + (b - a) * t));
  }
  return rgb;
}

DifferenceMap difference_map(const Image& image, const Image& reference) {
  const Image gray = difference_magnitude(image, reference);
  DifferenceMap map{Image{gray.width, gray.height, 3, {}}, 0};
  for (const auto value : gray.pixels) {
    map.max_value = std::max(map.max_value, int{value});
  }
  // One colour per possible difference, computed once.
  std::array<std::array<std::uint8_t, 3>, 256> colours{};
  for (int d = 1; d <= map.max_value; ++d) {
    colours[static_cast<std::size_t>(d)] = viridis(static_cast<double>(d) / map.max_value);
  }
  map.image.pixels.resize(gray.pixels.size() * 3);
  for (std::size_t i = 0; i < gray.pixels.size(); ++i) {
    const auto& colour = colours[gray.pixels[i]];
    std::copy(colour.begin(), colour.end(),
              map.image.pixels.begin() + static_cast<std::ptrdiff_t>(i * 3));
  }
  return map;
}

}  // namespace qa::report
