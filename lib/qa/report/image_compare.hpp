#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::report {

// The image formats the HTML report shows. PNG and JPEG are shown as stored; PGM and PPM (which
// browsers cannot display) are converted to PNG.
enum class ImageKind { none, png, jpeg, pnm };

// Return the kind of image that `path` names by its extension (case-insensitive): .png, .jpg,
// .jpeg, .pgm, .ppm; `none` for any other file.
[[nodiscard]] ImageKind image_kind(std::string_view path);

// A decoded image: `channels` (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) 8-bit samples per pixel,
// rows top to bottom, no padding.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;

  [[nodiscard]] std::size_t pixel_count() const {
    return static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  }
};

// Decode the PNG, JPEG, PGM or PPM image held in `bytes` (16-bit samples are reduced to 8).
// `name` is named in errors: `cannot decode "out.png": <why>`.
[[nodiscard]] Expected<Image> decode_image(std::string_view bytes, std::string_view name);

// Read and decode the image file `file` (see decode_image).
[[nodiscard]] Expected<Image> load_image(const std::filesystem::path& file);

// Return `image` encoded as PNG.
[[nodiscard]] Expected<std::string> encode_png(const Image& image);

// Write `image` as a PNG file at `file`, atomically.
[[nodiscard]] Expected<void> write_png(const Image& image, const std::filesystem::path& file);

// Return `image` with `channels` channels, which must not be fewer than it has unless both are
// gray or both colour: gray is replicated into RGB, a missing alpha is opaque.
[[nodiscard]] Image with_channels(const Image& image, int channels);

// How a new image differs from its reference, over every sample of every channel.
struct ImageStats {
  int max_abs_diff = 0;  // the largest |new - reference| of a sample, 0..255
  double psnr = 0;       // in dB, 10 log10(255² / mean squared error); inf when identical
  std::size_t changed_pixels = 0;  // pixels with any channel different
  double changed_share = 0;        // changed_pixels / pixel count, 0..1
};

// Return the statistics of `image` against `reference`, or nothing when their sizes differ.
// Images with different channel layouts are first brought to a common one (see with_channels).
[[nodiscard]] std::optional<ImageStats> compare_images(const Image& image, const Image& reference);

// Return the largest absolute difference over each pixel's channels of `image` and `reference`
// (same sizes), as one gray channel, not amplified (colour_map.hpp maps it for the HTML report).
[[nodiscard]] Image difference_magnitude(const Image& image, const Image& reference);

}  // namespace qa::report
