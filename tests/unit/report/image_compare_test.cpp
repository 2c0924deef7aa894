#include <qa/report/image_compare.hpp>

#include <gtest/gtest.h>

#include <support/temp_dir.hpp>

#include <cmath>
#include <limits>

namespace qa::report {
namespace {

Image gray(int width, int height, std::uint8_t value) {
  return Image{width, height, 1,
               std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), value)};
}

TEST(ImageKind, ByExtensionCaseInsensitive) {
  EXPECT_EQ(image_kind("out.png"), ImageKind::png);
  EXPECT_EQ(image_kind("dir/OUT.PNG"), ImageKind::png);
  EXPECT_EQ(image_kind("a.JPeG"), ImageKind::jpeg);
  EXPECT_EQ(image_kind("a.jpg"), ImageKind::jpeg);
  EXPECT_EQ(image_kind("a.pgm"), ImageKind::pnm);
  EXPECT_EQ(image_kind("a.PPM"), ImageKind::pnm);
  EXPECT_EQ(image_kind("a.png.txt"), ImageKind::none);
  EXPECT_EQ(image_kind("png"), ImageKind::none);
  EXPECT_EQ(image_kind("dir.png/file"), ImageKind::none);
}

TEST(CompareImages, IdenticalImages) {
  const Image a = gray(4, 3, 77);
  const auto stats = compare_images(a, a);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->max_abs_diff, 0);
  EXPECT_TRUE(std::isinf(stats->psnr));
  EXPECT_EQ(stats->changed_pixels, 0U);
  EXPECT_EQ(stats->changed_share, 0.0);
}

TEST(CompareImages, OnePixelChangedByTen) {
  const Image reference = gray(4, 3, 100);
  Image image = reference;
  image.pixels[5] = 110;
  const auto stats = compare_images(image, reference);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->max_abs_diff, 10);
  EXPECT_EQ(stats->changed_pixels, 1U);
  EXPECT_DOUBLE_EQ(stats->changed_share, 1.0 / 12.0);
  // MSE = 10² / 12 samples.
  EXPECT_NEAR(stats->psnr, 10.0 * std::log10(255.0 * 255.0 * 12.0 / 100.0), 1e-9);
}

TEST(CompareImages, ColourChannelsCountPerSample) {
  Image reference{2, 1, 3, {10, 20, 30, 40, 50, 60}};
  Image image = reference;
  image.pixels[4] = 53;  // pixel 1, green, +3
  const auto stats = compare_images(image, reference);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->max_abs_diff, 3);
  EXPECT_EQ(stats->changed_pixels, 1U);
  EXPECT_DOUBLE_EQ(stats->changed_share, 0.5);
  EXPECT_NEAR(stats->psnr, 10.0 * std::log10(255.0 * 255.0 * 6.0 / 9.0), 1e-9);
}

TEST(CompareImages, GrayAgainstColourIsComparedAsColour) {
  const Image reference = gray(2, 2, 50);
  const Image image{2, 2, 3, std::vector<std::uint8_t>(12, 50)};
  const auto stats = compare_images(image, reference);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->max_abs_diff, 0);
}

TEST(CompareImages, SizeMismatchHasNoStats) {
  EXPECT_FALSE(compare_images(gray(4, 3, 1), gray(3, 4, 1)));
  EXPECT_FALSE(compare_images(gray(4, 3, 1), gray(4, 4, 1)));
}

TEST(DifferenceMagnitude, LargestChannelDifferenceNotAmplified) {
  const Image reference = gray(3, 1, 100);
  Image image = reference;
  image.pixels[0] = 104;
  image.pixels[2] = 98;
  const Image diff = difference_magnitude(image, reference);
  EXPECT_EQ(diff.channels, 1);
  EXPECT_EQ(diff.width, 3);
  EXPECT_EQ(diff.pixels, (std::vector<std::uint8_t>{4, 0, 2}));
  const Image colour{1, 1, 3, {10, 20, 30}};
  const Image other{1, 1, 3, {12, 20, 23}};
  EXPECT_EQ(difference_magnitude(colour, other).pixels, (std::vector<std::uint8_t>{7}));
}

TEST(ImagePng, EncodeDecodeRoundTrip) {
  const Image image{3, 2, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}};
  auto png = encode_png(image);
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(png->substr(1, 3), "PNG");
  auto decoded = decode_image(*png, "x.png");
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->width, 3);
  EXPECT_EQ(decoded->height, 2);
  EXPECT_EQ(decoded->channels, 3);
  EXPECT_EQ(decoded->pixels, image.pixels);
}

TEST(ImagePnm, PgmAndPpmDecodeAndConvertToPng) {
  const test::TempDir dir;
  const std::string pgm =
      std::string("P5\n3 2\n255\n") + std::string("\x00\x10\x20\x30\x40\xff", 6);
  auto gray_image = decode_image(pgm, "a.pgm");
  ASSERT_TRUE(gray_image) << gray_image.error().message;
  EXPECT_EQ(gray_image->channels, 1);
  EXPECT_EQ(gray_image->pixels, (std::vector<std::uint8_t>{0, 0x10, 0x20, 0x30, 0x40, 0xff}));

  const std::string ppm =
      std::string("P6\n1 2\n255\n") + std::string("\x01\x02\x03\x04\x05\x06", 6);
  auto colour = decode_image(ppm, "a.ppm");
  ASSERT_TRUE(colour) << colour.error().message;
  EXPECT_EQ(colour->channels, 3);
  EXPECT_EQ(colour->width, 1);
  EXPECT_EQ(colour->height, 2);

  ASSERT_TRUE(write_png(*colour, dir / "a.png"));
  auto back = load_image(dir / "a.png");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->pixels, colour->pixels);
}

TEST(DecodeImage, GarbageIsAnErrorNamingTheFile) {
  auto image = decode_image("not an image", "out.png");
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().message.rfind("cannot decode \"out.png\": ", 0), 0U)
      << image.error().message;
  auto missing = load_image("/nonexistent/qa/x.png");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/qa/x.png"), std::string::npos);
}

TEST(ImageWithChannels, ExpandsGrayAndAddsOpaqueAlpha) {
  const Image image{1, 1, 1, {9}};
  EXPECT_EQ(with_channels(image, 3).pixels, (std::vector<std::uint8_t>{9, 9, 9}));
  EXPECT_EQ(with_channels(image, 4).pixels, (std::vector<std::uint8_t>{9, 9, 9, 255}));
  EXPECT_EQ(with_channels(Image{1, 1, 2, {9, 7}}, 4).pixels,
            (std::vector<std::uint8_t>{9, 9, 9, 7}));
}

}  // namespace
}  // namespace qa::report
