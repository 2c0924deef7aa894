#include <qa/report/colour_map.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

using Rgb = std::array<std::uint8_t, 3>;

TEST(Viridis, EndsAndMiddle) {
  EXPECT_EQ(viridis(0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(viridis(1.0), (Rgb{253, 231, 37}));
  EXPECT_EQ(viridis(0.5), (Rgb{38, 130, 142}));
  EXPECT_EQ(viridis(-3.0), viridis(0.0)) << "clamped";
  EXPECT_EQ(viridis(7.0), viridis(1.0)) << "clamped";
  EXPECT_EQ(viridis(1.0 / 16), (Rgb{70, 21, 102})) << "halfway between the first two stops";
}

TEST(DifferenceMap, IdenticalIsBlackMaxIsYellow) {
  Image reference{3, 1, 3, {10, 10, 10, 20, 20, 20, 30, 30, 30}};
  Image image = reference;
  image.pixels[3] = 25;  // pixel 1: d = 5
  image.pixels[8] = 10;  // pixel 2: d = 20, the largest
  const DifferenceMap map = difference_map(image, reference);
  EXPECT_EQ(map.max_value, 20);
  ASSERT_EQ(map.image.channels, 3);
  ASSERT_EQ(map.image.pixels.size(), 9U);
  EXPECT_EQ((Rgb{map.image.pixels[0], map.image.pixels[1], map.image.pixels[2]}), (Rgb{0, 0, 0}));
  EXPECT_EQ((Rgb{map.image.pixels[3], map.image.pixels[4], map.image.pixels[5]}), viridis(0.25));
  EXPECT_EQ((Rgb{map.image.pixels[6], map.image.pixels[7], map.image.pixels[8]}),
            (Rgb{253, 231, 37}));
}

TEST(DifferenceMap, IdenticalImagesAreAllBlack) {
  const Image image{2, 2, 1, {1, 2, 3, 4}};
  const DifferenceMap map = difference_map(image, image);
  EXPECT_EQ(map.max_value, 0);
  EXPECT_EQ(map.image.pixels, std::vector<std::uint8_t>(12, 0));
}

TEST(DifferenceMap, GrayAgainstColourUsesTheCommonLayout) {
  const Image gray{1, 1, 1, {100}};
  const Image colour{1, 1, 3, {100, 100, 160}};
  const DifferenceMap map = difference_map(gray, colour);
  EXPECT_EQ(map.max_value, 60);
  EXPECT_EQ(map.image.pixels, (std::vector<std::uint8_t>{253, 231, 37}));
}

}  // namespace
}  // namespace qa::report
