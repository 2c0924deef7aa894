#include <qa/report/image_preview.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

TEST(FittedSize, KeepsSmallImagesAndTheAspectRatio) {
  EXPECT_EQ(fitted_size(64, 48, 96), (std::pair{64, 48}));
  EXPECT_EQ(fitted_size(96, 10, 96), (std::pair{96, 10}));
  EXPECT_EQ(fitted_size(6000, 4000, 2048), (std::pair{2048, 1365}));
  EXPECT_EQ(fitted_size(4000, 6000, 96), (std::pair{64, 96}));
  EXPECT_EQ(fitted_size(10000, 1, 96), (std::pair{96, 1})) << "at least one pixel";
}

TEST(DownscaleToFit, AveragesAndKeepsChannels) {
  // A 4x2 RGBA checkerboard of black and white, downscaled to 2x1: grey, opaque.
  Image image{4, 2, 4, {}};
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      const std::uint8_t v = (x + y) % 2 == 0 ? 0 : 255;
      image.pixels.insert(image.pixels.end(), {v, v, v, 255});
    }
  }
  const Image small = downscale_to_fit(image, 2);
  ASSERT_EQ(small.width, 2);
  ASSERT_EQ(small.height, 1);
  ASSERT_EQ(small.channels, 4);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(small.pixels[static_cast<std::size_t>(i * 4)], 128, 3);
    EXPECT_EQ(small.pixels[static_cast<std::size_t>(i * 4 + 3)], 255);
  }
}

TEST(DownscaleToFit, SmallImageIsACopy) {
  const Image image{2, 1, 1, {3, 4}};
  const Image same = downscale_to_fit(image, 96);
  EXPECT_EQ(same.width, 2);
  EXPECT_EQ(same.pixels, image.pixels);
}

}  // namespace
}  // namespace qa::report
