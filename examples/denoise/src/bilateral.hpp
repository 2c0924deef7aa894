#pragma once

#include "image.hpp"

#include <cstdint>

namespace example {

// The default of DenoiseOptions::sigma, in pixels.
inline constexpr double k_default_sigma = 2.0;

struct DenoiseOptions {
  // How much to smooth, in [0, 1]: 0 returns the input unchanged, 1 smooths the most.
  double strength = 0.5;
  // The spatial extent, in pixels: the standard deviation of the spatial Gaussian at strength 1
  // (at strength s it is sigma * (0.3 + 0.7 s)). The default, 2, is the filter's historical
  // extent; larger values average wider neighbourhoods (flat areas get smoother, fine texture
  // is lost), smaller ones keep detail and leave more noise.
  double sigma = k_default_sigma;
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
