#pragma once

#include <qa/report/image_compare.hpp>

namespace qa::report {

// The longest side of the images the HTML report's panes load first: a larger image gets a
// downscaled preview, and the page loads the full one when the zoom goes past the preview's
// resolution.
inline constexpr int k_preview_side = 2048;

// The longest side of a run's thumbnail in the table of runs.
inline constexpr int k_thumbnail_side = 96;

// Return the size of an image of `width` x `height` scaled down, keeping its aspect ratio, so
// that its longest side is at most `max_side` (at least 1 pixel each way); unchanged when it fits.
[[nodiscard]] std::pair<int, int> fitted_size(int width, int height, int max_side);

// Return `image` scaled down to fit in `max_side` (see fitted_size), filtered so that fine
// detail averages rather than aliases; a copy when it fits already.
[[nodiscard]] Image downscale_to_fit(const Image& image, int max_side);

}  // namespace qa::report
