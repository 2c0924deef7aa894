// make-images: generate the example project's database of test images.
//
//   make-images DATA_DIR
//
// Writes DATA_DIR/clean/<name>.png (ground truth) and DATA_DIR/images/<name>.png (the clean image
// plus Gaussian-like noise). The content is synthetic and the noise comes from a fixed-seed
// generator using only exactly rounded arithmetic, so every run, on every machine, writes the
// same bytes. Prints the input paths, relative to DATA_DIR/images, on stdout.
// Exit status: 0 on success, 2 on bad usage or when a file cannot be written.

#include "file.hpp"
#include "image.hpp"
#include "random.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace fs = std::filesystem;
using example::Image;
using Color = std::array<double, 3>;
using Painter = std::function<Color(int x, int y)>;

constexpr std::string_view k_synopsis = "usage: make-images DATA_DIR\n";

std::uint8_t to_sample(double value) {
  return static_cast<std::uint8_t>(std::clamp(std::floor(value + 0.5), 0.0, 255.0));
}

// Return a `width` x `height` image of `channels` (1 or 3) channels whose pixel (x, y) is
// `painter(x, y)`; a gray image takes the first component.
Image paint(int width, int height, int channels, const Painter& painter) {
  Image image = example::make_image(width, height, channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Color color = painter(x, y);
      for (int c = 0; c < channels; ++c) {
        image.pixels[image.index(x, y, c)] = to_sample(color[static_cast<std::size_t>(c)]);
      }
    }
  }
  return image;
}

double distance(int x, int y, double cx, double cy) {
  const double dx = x - cx;
  const double dy = y - cy;
  return std::sqrt(dx * dx + dy * dy);
}

// A diagonal ramp with an inverted-ramp rectangle: edges whose contrast varies along them.
Image gradient() {
  return paint(96, 96, 1, [](int x, int y) {
    const double ramp = 20.0 + 200.0 * (x + y) / 190.0;
    const bool inside = x >= 24 && x < 72 && y >= 36 && y < 60;
    return Color{inside ? 255.0 - ramp : ramp, 0.0, 0.0};
  });
}

Image checkerboard() {
  return paint(64, 64, 1, [](int x, int y) {
    return Color{(x / 8 + y / 8) % 2 == 0 ? 56.0 : 200.0, 0.0, 0.0};
  });
}

// Dark sky, buildings with lit windows, a road with a dashed line and three glowing lamps.
Image street_night() {
  return paint(128, 96, 3, [](int x, int y) {
    Color color = {10.0, 14.0, 40.0 + 0.5 * y};
    const int building = x / 32;
    const int top = 20 + (building * 13) % 20;
    const int bx = x % 32;
    if (bx >= 4 && bx < 28 && y >= top && y < 72) {
      color = {30.0, 30.0, 38.0};
      const int wx = bx - 6;
      const int wy = y - top - 4;
      if (wx >= 0 && wx < 20 && wy >= 0 && wx % 7 < 4 && wy % 8 < 4) {
        const auto cell = static_cast<std::uint64_t>(building * 100 + (wx / 7) * 10 + wy / 8);
        const bool lit = (example::splitmix64(cell) & 1U) != 0U;
        color = lit ? Color{230.0, 200.0, 90.0} : Color{20.0, 20.0, 28.0};
      }
    }
    if (y >= 72) {
      const bool dash = y >= 82 && y < 85 && x % 16 < 8;
      color = dash ? Color{220.0, 220.0, 200.0} : Color{40.0, 40.0, 45.0};
    }
    for (const double lamp_x : {20.0, 64.0, 108.0}) {
      const double d = distance(x, y, lamp_x, 60.0);
      if (d < 4.0) {
        return Color{255.0, 240.0, 180.0};
      }
      const double glow = std::max(0.0, 1.0 - d / 18.0);
      color[0] += 150.0 * glow * glow;
      color[1] += 120.0 * glow * glow;
      color[2] += 60.0 * glow * glow;
    }
    return color;
  });
}

// A cup of coffee on a checked tablecloth, a pastry beside it, against a warm wall.
Image cafe() {
  return paint(96, 96, 3, [](int x, int y) {
    Color color = {200.0 - 0.8 * y, 140.0 - 0.5 * y, 90.0};
    if (y >= 60) {
      color = (x / 6 + y / 6) % 2 == 0 ? Color{200.0, 40.0, 40.0} : Color{235.0, 235.0, 225.0};
    }
    const double cup = distance(x, y, 52.0, 50.0);
    if (cup < 10.0) {
      color = {90.0, 55.0, 30.0};
    } else if (cup < 14.0) {
      color = {240.0, 240.0, 235.0};
    }
    if (distance(x, y, 20.0, 70.0) < 9.0) {
      color = {210.0, 160.0, 70.0};
    }
    return color;
  });
}

// Lines of dark "words" (bars of pseudo-random length) on a light page.
Image stripes() {
  Image image = paint(112, 80, 1, [](int, int) { return Color{235.0, 0.0, 0.0}; });
  example::Random random(7);
  for (int line = 0; line < 7; ++line) {
    int x = 6;
    while (true) {
      const int length = 4 + static_cast<int>(random.next() % 15U);
      if (x + length > image.width - 6) {
        break;
      }
      for (int y = 6 + line * 10; y < 10 + line * 10; ++y) {
        for (int i = x; i < x + length; ++i) {
          image.pixels[image.index(i, y, 0)] = 30;
        }
      }
      x += length + 3 + static_cast<int>(random.next() % 3U);
    }
  }
  return image;
}

// A basket weave of two thread colours, each thread shaded across its width.
Image weave() {
  return paint(64, 64, 3, [](int x, int y) {
    const bool horizontal = (x / 8 + y / 8) % 2 == 0;
    const double t = (horizontal ? y % 8 : x % 8) / 7.0;
    const double shade = 0.6 + 0.4 * (1.0 - std::abs(2.0 * t - 1.0));
    const Color thread = horizontal ? Color{60.0, 90.0, 160.0} : Color{200.0, 170.0, 90.0};
    return Color{thread[0] * shade, thread[1] * shade, thread[2] * shade};
  });
}

// Return `clean` plus noise of standard deviation `sigma` levels: each sample gets the sum of four
// uniform draws, centred and scaled (Irwin-Hall, close to Gaussian, bounded at 3.5 sigma).
Image add_noise(const Image& clean, double sigma, std::uint64_t seed) {
  Image noisy = clean;
  example::Random random(seed);
  const double scale = sigma * std::sqrt(3.0);
  for (std::uint8_t& sample : noisy.pixels) {
    const double sum = random.uniform() + random.uniform() + random.uniform() + random.uniform();
    sample = to_sample(sample + scale * (sum - 2.0));
  }
  return noisy;
}

struct Entry {
  const char* name;
  double sigma;
  std::uint64_t seed;
  Image (*make)();
};

void create_parent(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) {
    throw std::runtime_error("cannot create \"" + path.parent_path().string() +
                             "\": " + example::describe_errno(error.value()));
  }
}

int run(int argc, char** argv) {
  if (argc == 2 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
    std::fputs(k_synopsis.data(), stdout);
    return 0;
  }
  if (argc != 2 || argv[1][0] == '\0') {
    std::fputs("make-images: error: expected one argument, the data directory\n", stderr);
    std::fputs(k_synopsis.data(), stderr);
    return 2;
  }
  static const std::array<Entry, 6> k_entries = {{
      {"gradient.png", 12.0, 1001, gradient},
      {"checkerboard.png", 12.0, 1002, checkerboard},
      {"street night.png", 18.0, 1003, street_night},
      {"café.png", 12.0, 1004, cafe},
      {"textures/stripes.png", 12.0, 1005, stripes},
      {"textures/weave.png", 10.0, 1006, weave},
  }};
  const fs::path root = argv[1];
  for (const Entry& entry : k_entries) {
    const Image clean = entry.make();
    const fs::path clean_path = root / "clean" / entry.name;
    const fs::path noisy_path = root / "images" / entry.name;
    create_parent(clean_path);
    create_parent(noisy_path);
    example::save_png(clean_path.string(), clean);
    example::save_png(noisy_path.string(), add_noise(clean, entry.sigma, entry.seed));
    std::printf("%s\n", entry.name);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "make-images: error: %s\n", error.what());
  }
  return 2;
}
