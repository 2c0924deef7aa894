#include "image.hpp"

#include "file.hpp"
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace example {

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

struct StbFree {
  void operator()(stbi_uc* data) const { stbi_image_free(data); }
};

std::runtime_error read_error(const std::string& path, const std::string& cause) {
  return std::runtime_error("cannot read \"" + path + "\": " + cause);
}

// stb_image_write's output callback: append `size` bytes at `data` to the std::string at `context`.
void append_bytes(void* context, void* data, int size) {
  auto* bytes = static_cast<std::string*>(context);
  bytes->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

Image make_image(int width, int height, int channels) {
  Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                          static_cast<std::size_t>(channels),
                      0);
  return image;
}

Image load_image(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw read_error(path, "is a directory");
  }
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw read_error(path, describe_errno(errno));
  }
  int width = 0;
  int height = 0;
  int channels = 0;
  const std::unique_ptr<stbi_uc, StbFree> data(
      stbi_load_from_file(file.get(), &width, &height, &channels, 0));
  if (!data) {
    const char* reason = stbi_failure_reason();
    throw read_error(path, reason != nullptr ? reason : "not a readable image");
  }
  if (channels < 1 || channels > 4) {
    throw read_error(path, "unsupported channel count " + std::to_string(channels));
  }
  Image image = make_image(width, height, channels);
  image.pixels.assign(data.get(), data.get() + image.pixels.size());
  return image;
}

void save_png(const std::string& path, const Image& image) {
  std::string bytes;
  const int stride = image.width * image.channels;
  if (stbi_write_png_to_func(append_bytes, &bytes, image.width, image.height, image.channels,
                             image.pixels.data(), stride) == 0) {
    throw std::runtime_error("cannot write \"" + path + "\": png encoding failed");
  }
  write_file(path, bytes);
}

std::string describe_size(const Image& image) {
  return std::to_string(image.width) + "x" + std::to_string(image.height) + ", " +
         std::to_string(image.channels) + (image.channels == 1 ? " channel" : " channels");
}

}  // namespace example
