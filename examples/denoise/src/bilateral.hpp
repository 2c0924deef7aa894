#pragma once

#include "image.hpp"

#include <cstdint>

namespace example {

struct DenoiseOptions {
  // How much to smooth, in [0, 1]: 0 returns the input unchanged, 1 smooths the most.
  double strength = 0.5;
  // 0 rounds filtered values to the nearest integer; any other value rounds stochastically,
  // with this seed (a dither that avoids banding in smooth gradients, reproducible per seed).
  std::uint64_t seed = 0;
};

// Return `input` denoised by an edge-preserving bilateral filter. Each colour sample becomes a
// weighted mean of its neighbours, weighted by distance (spatial Gaussian) and by similarity
// (range Gaussian); similarity is measured on a lightly pre-smoothed guide so that isolated noise
// spikes are averaged too. The alpha channel, if any, is copied. The result depends only on
// `input` and `options`: the same call always returns the same pixels.
[[nodiscard]] Image denoise(const Image& input, const DenoiseOptions& options);

}  // namespace example
