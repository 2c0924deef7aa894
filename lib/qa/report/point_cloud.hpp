#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <qa/util/error.hpp>

namespace qa::report {

// A point cloud as the HTML report's viewer draws it: positions and optional colours of at most
// a capped number of its points.
struct PointCloud {
  std::size_t total = 0;             // finite points in the file
  std::vector<float> positions;      // x y z of the points kept, in order
  std::vector<std::uint8_t> colors;  // r g b of the points kept, or empty when the file has none
};

// Parse the point cloud `bytes`, a PLY file (format ascii or binary_little_endian; its "vertex"
// element, properties x y z and optional red green blue, any scalar types, other elements
// skipped when their size is fixed) or a PCD file (DATA ascii or binary; fields x y z and
// optional rgb or rgba, packed as PCL does). Points with a non-finite coordinate are dropped.
// When more than `max_points` remain, every k-th one is kept so that at most `max_points` are.
// A malformed or unsupported file is an error that says what is wrong.
[[nodiscard]] Expected<PointCloud> parse_point_cloud(std::string_view bytes,
                                                     std::size_t max_points);

}  // namespace qa::report
