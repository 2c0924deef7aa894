#include <qa/report/image_preview.hpp>

#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cmath>

namespace qa::report {

std::pair<int, int> fitted_size(int width, int height, int max_side) {
  const int longest = std::max(width, height);
  if (longest <= max_side || longest <= 0) {
    return {width, height};
  }
  const double scale = static_cast<double>(max_side) / static_cast<double>(longest);
  const auto scaled = [&](int side) {
    return std::clamp(static_cast<int>(std::lround(side * scale)), 1, max_side);
  };
  return {scaled(width), scaled(height)};
}

Image downscale_to_fit(const Image& image, int max_side) {
  const auto [width, height] = fitted_size(image.width, image.height, max_side);
  if (width == image.width && height == image.height) {
    return image;
  }
  Image out{width, height, image.channels, {}};
  out.pixels.resize(out.pixel_count() * static_cast<std::size_t>(image.channels));
  const int alpha =
      image.channels == 2 || image.channels == 4 ? image.channels - 1 : STBIR_ALPHA_CHANNEL_NONE;
  stbir_resize_uint8_generic(image.pixels.data(), image.width, image.height,
                             image.width * image.channels, out.pixels.data(), width, height,
                             width * image.channels, image.channels, alpha, 0, STBIR_EDGE_CLAMP,
                             STBIR_FILTER_DEFAULT, STBIR_COLORSPACE_LINEAR, nullptr);
  return out;
}

}  // namespace qa::report
