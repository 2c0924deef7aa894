#include "bilateral.hpp"

#include "random.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

namespace example {

namespace {

struct Shape {
  int radius = 0;
  double sigma_space = 0.0;
  double sigma_range = 0.0;
};

// Map `strength` in (0, 1] and `sigma` (px) to the filter's extent: the spatial sigma grows from
// 0.3 to 1 times `sigma` (0.6 to 2 px at the default sigma, 2) and the range sigma (in 8-bit
// levels) from 3 to 23, so low strengths barely touch the image. At the default sigma the
// factor sigma / k_default_sigma is exactly 1: the shapes, and the outputs, are the ones the
// filter had before it took a sigma.
Shape shape_for(double strength, double sigma) {
  Shape shape;
  shape.sigma_space = (0.6 + 1.4 * strength) * (sigma / k_default_sigma);
  shape.sigma_range = 3.0 + 20.0 * strength;
  shape.radius = static_cast<int>(std::ceil(2.0 * shape.sigma_space));
  return shape;
}

// Return the colour channels of `image` blurred by a 3x3 binomial kernel (edges clamped), as
// doubles in the image's layout with `image.color_channels()` channels per pixel.
std::vector<double> make_guide(const Image& image) {
  static constexpr std::array<double, 3> k_taps = {0.25, 0.5, 0.25};
  const int channels = image.color_channels();
  std::vector<double> guide(static_cast<std::size_t>(image.width) *
                                static_cast<std::size_t>(image.height) *
                                static_cast<std::size_t>(channels),
                            0.0);
  std::size_t out = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < channels; ++c) {
        double sum = 0.0;
        for (int dy = -1; dy <= 1; ++dy) {
          const int qy = std::clamp(y + dy, 0, image.height - 1);
          for (int dx = -1; dx <= 1; ++dx) {
            const int qx = std::clamp(x + dx, 0, image.width - 1);
            const double weight =
                k_taps[static_cast<std::size_t>(dy + 1)] * k_taps[static_cast<std::size_t>(dx + 1)];
            sum += weight * image.pixels[image.index(qx, qy, c)];
          }
        }
        guide[out++] = sum;
      }
    }
  }
  return guide;
}

// Return the spatial weights of a (2 * radius + 1)^2 window, row by row.
std::vector<double> make_spatial_weights(const Shape& shape) {
  std::vector<double> weights;
  const double inv_two_sigma2 = 1.0 / (2.0 * shape.sigma_space * shape.sigma_space);
  for (int dy = -shape.radius; dy <= shape.radius; ++dy) {
    for (int dx = -shape.radius; dx <= shape.radius; ++dx) {
      weights.push_back(std::exp(-static_cast<double>(dx * dx + dy * dy) * inv_two_sigma2));
    }
  }
  return weights;
}

// Round `value` to a sample: to the nearest level when `seed` is 0, else stochastically with a
// threshold drawn from `seed` and the sample's `index`.
std::uint8_t to_sample(double value, std::uint64_t seed, std::size_t index) {
  const double threshold = seed == 0 ? 0.5 : unit_double(splitmix64(seed ^ splitmix64(index)));
  return static_cast<std::uint8_t>(std::clamp(std::floor(value + threshold), 0.0, 255.0));
}

}  // namespace

Image denoise(const Image& input, const DenoiseOptions& options) {
  if (options.strength <= 0.0) {
    return input;
  }
  const Shape shape = shape_for(std::min(options.strength, 1.0), options.sigma);
  const int channels = input.color_channels();
  const auto guide_channels = static_cast<std::size_t>(channels);
  const std::vector<double> guide = make_guide(input);
  const std::vector<double> spatial = make_spatial_weights(shape);
  const double inv_two_range2 = 1.0 / (2.0 * shape.sigma_range * shape.sigma_range * channels);

  Image output = input;
  for (int y = 0; y < input.height; ++y) {
    for (int x = 0; x < input.width; ++x) {
      const std::size_t center =
          (static_cast<std::size_t>(y) * static_cast<std::size_t>(input.width) +
           static_cast<std::size_t>(x)) *
          guide_channels;
      std::array<double, 3> sums = {0.0, 0.0, 0.0};
      double total_weight = 0.0;
      std::size_t tap = 0;
      for (int dy = -shape.radius; dy <= shape.radius; ++dy) {
        const int qy = y + dy;
        for (int dx = -shape.radius; dx <= shape.radius; ++dx, ++tap) {
          const int qx = x + dx;
          if (qy < 0 || qy >= input.height || qx < 0 || qx >= input.width) {
            continue;
          }
          const std::size_t neighbour =
              (static_cast<std::size_t>(qy) * static_cast<std::size_t>(input.width) +
               static_cast<std::size_t>(qx)) *
              guide_channels;
          double distance2 = 0.0;
          for (std::size_t c = 0; c < guide_channels; ++c) {
            const double delta = guide[neighbour + c] - guide[center + c];
            distance2 += delta * delta;
          }
          const double weight = spatial[tap] * std::exp(-distance2 * inv_two_range2);
          for (int c = 0; c < channels; ++c) {
            sums[static_cast<std::size_t>(c)] += weight * input.pixels[input.index(qx, qy, c)];
          }
          total_weight += weight;
        }
      }
      for (int c = 0; c < channels; ++c) {
        const std::size_t index = input.index(x, y, c);
        output.pixels[index] =
            to_sample(sums[static_cast<std::size_t>(c)] / total_weight, options.seed, index);
      }
    }
  }
  return output;
}

}  // namespace example
