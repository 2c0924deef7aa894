#include <qa/report/point_cloud.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace qa::report {
namespace {

template <typename T>
void append(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

TEST(PointCloud, PlyAsciiWithColours) {
  const auto cloud = parse_point_cloud(
      "ply\nformat ascii 1.0\ncomment made by a test\nelement vertex 3\nproperty float x\n"
      "property float y\nproperty float z\nproperty uchar red\nproperty uchar green\n"
      "property uchar blue\nelement face 1\nproperty list uchar int vertex_indices\n"
      "end_header\n0 0 0 255 0 0\n1 2 3 0 255 0\n-1.5 0.5 2 0 0 255\n3 0 1 2\n",
      100);
  ASSERT_TRUE(cloud) << cloud.error().message;
  EXPECT_EQ(cloud->total, 3U);
  EXPECT_EQ(cloud->positions, (std::vector<float>{0, 0, 0, 1, 2, 3, -1.5F, 0.5F, 2}));
  EXPECT_EQ(cloud->colors, (std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0, 0, 0, 255}));
}

TEST(PointCloud, PlyBinaryLittleEndianSkipsUnusedPropertiesAndDropsNaN) {
  std::string ply =
      "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty double x\n"
      "property double y\nproperty double z\nproperty short intensity\nend_header\n";
  for (const double x : {1.0, std::nan(""), 4.0}) {
    append(ply, x);
    append(ply, x * 2);
    append(ply, -x);
    append(ply, static_cast<std::int16_t>(-7));
  }
  const auto cloud = parse_point_cloud(ply, 100);
  ASSERT_TRUE(cloud) << cloud.error().message;
  EXPECT_EQ(cloud->total, 2U);
  EXPECT_EQ(cloud->positions, (std::vector<float>{1, 2, -1, 4, 8, -4}));
  EXPECT_TRUE(cloud->colors.empty());
}

TEST(PointCloud, PcdAsciiWithPackedRgb) {
  std::uint32_t packed = (10U << 16U) | (20U << 8U) | 30U;
  float as_float = 0;
  std::memcpy(&as_float, &packed, 4);
  const std::string pcd =
      "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z rgb\nSIZE 4 4 4 4\nTYPE F F F U\nCOUNT 1 1 1 1\n"
      "WIDTH 2\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS 2\nDATA ascii\n0.5 1 2 " +
      std::to_string(packed) + "\nnan nan nan 0\n";
  const auto cloud = parse_point_cloud(pcd, 100);
  ASSERT_TRUE(cloud) << cloud.error().message;
  EXPECT_EQ(cloud->total, 1U);
  EXPECT_EQ(cloud->positions, (std::vector<float>{0.5F, 1, 2}));
  EXPECT_EQ(cloud->colors, (std::vector<std::uint8_t>{10, 20, 30}));
}

TEST(PointCloud, PcdBinaryWithFloatRgb) {
  std::string pcd =
      "VERSION 0.7\nFIELDS x y z rgb\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT 1 1 1 1\nWIDTH 2\n"
      "HEIGHT 1\nPOINTS 2\nDATA binary\n";
  const std::uint32_t packed = (200U << 16U) | (100U << 8U) | 50U;
  float rgb = 0;
  std::memcpy(&rgb, &packed, 4);
  for (const float v : {1.0F, 2.0F}) {
    append(pcd, v);
    append(pcd, v + 1);
    append(pcd, v + 2);
    append(pcd, rgb);
  }
  const auto cloud = parse_point_cloud(pcd, 100);
  ASSERT_TRUE(cloud) << cloud.error().message;
  EXPECT_EQ(cloud->positions, (std::vector<float>{1, 2, 3, 2, 3, 4}));
  EXPECT_EQ(cloud->colors, (std::vector<std::uint8_t>{200, 100, 50, 200, 100, 50}));
}

TEST(PointCloud, DownsamplesToTheCap) {
  std::string ply =
      "ply\nformat ascii 1.0\nelement vertex 10\nproperty int x\nproperty int y\n"
      "property int z\nend_header\n";
  for (int i = 0; i < 10; ++i) {
    ply += std::to_string(i) + " 0 0\n";
  }
  const auto cloud = parse_point_cloud(ply, 4);
  ASSERT_TRUE(cloud) << cloud.error().message;
  EXPECT_EQ(cloud->total, 10U);
  EXPECT_EQ(cloud->positions, (std::vector<float>{0, 0, 0, 3, 0, 0, 6, 0, 0, 9, 0, 0}));
}

TEST(PointCloud, ErrorsSayWhatIsWrong) {
  const auto no_z = parse_point_cloud(
      "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
      "end_header\n1 2\n",
      10);
  ASSERT_FALSE(no_z);
  EXPECT_EQ(no_z.error().message, "invalid point cloud: no x, y and z fields");
  const auto big_endian = parse_point_cloud(
      "ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty float x\nend_header\n", 10);
  ASSERT_FALSE(big_endian);
  EXPECT_NE(big_endian.error().message.find("binary_big_endian"), std::string::npos);
  const auto short_data = parse_point_cloud(
      "ply\nformat binary_little_endian 1.0\nelement vertex 2\nproperty float x\n"
      "property float y\nproperty float z\nend_header\n0123",
      10);
  ASSERT_FALSE(short_data);
  EXPECT_NE(short_data.error().message.find("fewer than the 2 points"), std::string::npos);
  const auto compressed = parse_point_cloud(
      "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 1\nDATA binary_compressed\n", 10);
  ASSERT_FALSE(compressed);
  EXPECT_NE(compressed.error().message.find("binary_compressed"), std::string::npos);
  EXPECT_FALSE(parse_point_cloud("", 10));
  EXPECT_FALSE(parse_point_cloud("ply\nformat ascii 1.0\nelement vertex 1\n", 10));
}

}  // namespace
}  // namespace qa::report
