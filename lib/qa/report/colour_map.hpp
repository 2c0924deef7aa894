#pragma once

#include <array>
#include <cstdint>

#include <qa/report/image_compare.hpp>

namespace qa::report {

// The colour of `value` (0..1, clamped) on viridis, matplotlib's perceptual map from dark purple
// (0) through blue and green to yellow (1), interpolated linearly between its nine stops
// k_viridis_stops (which the page's legend repeats as a CSS gradient).
[[nodiscard]] std::array<std::uint8_t, 3> viridis(double value);

// The nine stops of viridis at 0, 1/8, ..., 1, as RGB.
inline constexpr std::array<std::array<std::uint8_t, 3>, 9> k_viridis_stops{{{68, 1, 84},
                                                                             {72, 40, 120},
                                                                             {62, 73, 137},
                                                                             {49, 104, 142},
                                                                             {38, 130, 142},
                                                                             {31, 158, 137},
                                                                             {53, 183, 121},
                                                                             {110, 206, 88},
                                                                             {253, 231, 37}}};

// The difference of two images of the same size as a colour map.
struct DifferenceMap {
  Image image;      // RGB: black where the pixels are identical, else viridis(d / max_value)
  int max_value{};  // the largest d, 0..255 (0: identical images, all black)
};

// Return the colour map of `image` against `reference` (same sizes: compare_images said so):
// d is the largest |new - reference| over a pixel's channels, scaled to the largest d of the
// image, so that any difference is visible and the largest is yellow; identical pixels are black.
[[nodiscard]] DifferenceMap difference_map(const Image& image, const Image& reference);

}  // namespace qa::report
