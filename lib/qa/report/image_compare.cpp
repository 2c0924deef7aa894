#include <qa/report/image_compare.hpp>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>

namespace qa::report {

namespace {

struct StbFree {
  void operator()(stbi_uc* data) const { stbi_image_free(data); }
};

// stb_image_write's output callback: append `size` bytes at `data` to the std::string `context`.
void append_bytes(void* context, void* data, int size) {
  auto* bytes = static_cast<std::string*>(context);
  bytes->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string lower_extension(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return {};
  }
  std::string extension(path.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return extension;
}

bool has_colour(int channels) { return channels >= 3; }
bool has_alpha(int channels) { return channels == 2 || channels == 4; }

}  // namespace

ImageKind image_kind(std::string_view path) {
  const std::string extension = lower_extension(path);
  if (extension == "png") {
    return ImageKind::png;
  }
  if (extension == "jpg" || extension == "jpeg") {
    return ImageKind::jpeg;
  }
  if (extension == "pgm" || extension == "ppm") {
    return ImageKind::pnm;
  }
  return ImageKind::none;
}

Expected<Image> decode_image(std::string_view bytes, std::string_view name) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return fail("cannot decode {}: file too large", quote(name));
  }
  int width = 0;
  int height = 0;
  int channels = 0;
  const std::unique_ptr<stbi_uc, StbFree> data(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                            static_cast<int>(bytes.size()), &width, &height, &channels, 0));
  if (!data) {
    const char* reason = stbi_failure_reason();
    return fail("cannot decode {}: {}", quote(name),
                reason != nullptr ? reason : "not a readable image");
  }
  if (channels < 1 || channels > 4 || width <= 0 || height <= 0) {
    return fail("cannot decode {}: unsupported image layout", quote(name));
  }
  Image image{width, height, channels, {}};
  image.pixels.assign(data.get(),
                      data.get() + image.pixel_count() * static_cast<std::size_t>(channels));
  return image;
}

Expected<Image> load_image(const std::filesystem::path& file) {
  QA_TRY_ASSIGN(const std::string bytes, util::read_file(file));
  return decode_image(bytes, file.string());
}

Expected<std::string> encode_png(const Image& image) {
  std::string bytes;
  if (stbi_write_png_to_func(append_bytes, &bytes, image.width, image.height, image.channels,
                             image.pixels.data(), image.width * image.channels) == 0) {
    return fail("cannot encode a {}x{} image as png", image.width, image.height);
  }
  return bytes;
}

Expected<void> write_png(const Image& image, const std::filesystem::path& file) {
  auto bytes = encode_png(image);
  if (!bytes) {
    return fail("cannot write {}: {}", quote(file.string()), bytes.error().message);
  }
  return util::write_file_atomic(file, *bytes, util::Fsync::no);
}

Image with_channels(const Image& image, int channels) {
  if (image.channels == channels) {
    return image;
  }
  Image out{image.width, image.height, channels, {}};
  const std::size_t count = image.pixel_count();
  const auto from = static_cast<std::size_t>(image.channels);
  const auto to = static_cast<std::size_t>(channels);
  out.pixels.resize(count * to);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* p = &image.pixels[i * from];
    std::uint8_t* q = &out.pixels[i * to];
    std::uint8_t r = p[0];
    std::uint8_t g = p[0];
    std::uint8_t b = p[0];
    if (has_colour(image.channels)) {
      g = p[1];
      b = p[2];
    }
    const std::uint8_t alpha = has_alpha(image.channels) ? p[from - 1] : std::uint8_t{255};
    if (has_colour(channels)) {
      q[0] = r;
      q[1] = g;
      q[2] = b;
    } else {
      q[0] = static_cast<std::uint8_t>((unsigned{r} + unsigned{g} + unsigned{b}) / 3U);
    }
    if (has_alpha(channels)) {
      q[to - 1] = alpha;
    }
  }
  return out;
}

namespace {

// Return `image` and `reference` with one common channel layout.
std::pair<Image, Image> common_layout(const Image& image, const Image& reference) {
  const bool colour = has_colour(image.channels) || has_colour(reference.channels);
  const bool alpha = has_alpha(image.channels) || has_alpha(reference.channels);
  const int channels = (colour ? 3 : 1) + (alpha ? 1 : 0);
  return {with_channels(image, channels), with_channels(reference, channels)};
}

}  // namespace

std::optional<ImageStats> compare_images(const Image& image, const Image& reference) {
  if (image.width != reference.width || image.height != reference.height) {
    return std::nullopt;
  }
  const auto [a, b] = common_layout(image, reference);
  const auto channels = static_cast<std::size_t>(a.channels);
  ImageStats stats;
  double squares = 0;
  const std::size_t count = a.pixel_count();
  for (std::size_t i = 0; i < count; ++i) {
    bool changed = false;
    for (std::size_t c = 0; c < channels; ++c) {
      const int d = std::abs(int{a.pixels[i * channels + c]} - int{b.pixels[i * channels + c]});
      if (d != 0) {
        changed = true;
        stats.max_abs_diff = std::max(stats.max_abs_diff, d);
        squares += static_cast<double>(d) * static_cast<double>(d);
      }
    }
    stats.changed_pixels += changed ? 1U : 0U;
  }
  const double samples = static_cast<double>(count * channels);
  stats.changed_share =
      count == 0 ? 0.0 : static_cast<double>(stats.changed_pixels) / static_cast<double>(count);
  stats.psnr = squares == 0 ? std::numeric_limits<double>::infinity()
                            : 10.0 * std::log10(255.0 * 255.0 * samples / squares);
  return stats;
}

Image difference_magnitude(const Image& image, const Image& reference) {
  const auto [a, b] = common_layout(image, reference);
  const auto channels = static_cast<std::size_t>(a.channels);
  const std::size_t count = std::min(a.pixel_count(), b.pixel_count());
  Image out{a.width, a.height, 1, std::vector<std::uint8_t>(a.pixel_count(), 0)};
  for (std::size_t i = 0; i < count; ++i) {
    int d = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      d = std::max(d, std::abs(int{a.pixels[i * channels + c]} - int{b.pixels[i * channels + c]}));
    }
    out.pixels[i] = static_cast<std::uint8_t>(d);
  }
  return out;
}

}  // namespace qa::report
