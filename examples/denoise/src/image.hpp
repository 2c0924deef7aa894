#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace example {

// An 8-bit image: rows top to bottom, channels interleaved. `channels` is 1 (gray),
// 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;

  // Return the index in `pixels` of channel `c` of the pixel at column `x`, row `y`.
  [[nodiscard]] std::size_t index(int x, int y, int c) const {
    return (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
            static_cast<std::size_t>(x)) *
               static_cast<std::size_t>(channels) +
           static_cast<std::size_t>(c);
  }

  // Return the number of colour channels: `channels` without the alpha channel.
  [[nodiscard]] int color_channels() const {
    return channels == 2 || channels == 4 ? channels - 1 : channels;
  }
};

// Return a `width` x `height` image of `channels` channels, every sample 0.
[[nodiscard]] Image make_image(int width, int height, int channels);

// Read the image at `path` (PNG, or any format stb_image reads) as 8-bit samples, keeping the
// file's channel count. Throw std::runtime_error reading `cannot read "PATH": CAUSE` on failure.
[[nodiscard]] Image load_image(const std::string& path);

// Write `image` to `path` as a PNG. The bytes depend only on the pixels: the same image always
// gives the same file. Throw std::runtime_error reading `cannot write "PATH": CAUSE` on failure.
void save_png(const std::string& path, const Image& image);

// Describe the size of `image` as "WIDTHxHEIGHT, N channel(s)".
[[nodiscard]] std::string describe_size(const Image& image);

}  // namespace example
