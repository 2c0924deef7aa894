#include <qa/report/output_kind.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

TEST(OutputKind, ByExtensionCaseInsensitive) {
  EXPECT_EQ(output_kind("out.txt"), OutputKind::text);
  EXPECT_EQ(output_kind("logs/run.LOG"), OutputKind::text);
  EXPECT_EQ(output_kind("notes.md"), OutputKind::text);
  EXPECT_EQ(output_kind("c.yaml"), OutputKind::text);
  EXPECT_EQ(output_kind("c.yml"), OutputKind::text);
  EXPECT_EQ(output_kind("c.xml"), OutputKind::text);
  EXPECT_EQ(output_kind("c.ini"), OutputKind::text);
  EXPECT_EQ(output_kind("c.cfg"), OutputKind::text);
  EXPECT_EQ(output_kind("metrics.json"), OutputKind::json);
  EXPECT_EQ(output_kind("table.csv"), OutputKind::csv);
  EXPECT_EQ(output_kind("table.TSV"), OutputKind::csv);
  EXPECT_EQ(output_kind("index.html"), OutputKind::html);
  EXPECT_EQ(output_kind("index.htm"), OutputKind::html);
  EXPECT_EQ(output_kind("clip.mp4"), OutputKind::video);
  EXPECT_EQ(output_kind("clip.webm"), OutputKind::video);
  EXPECT_EQ(output_kind("scan.ply"), OutputKind::point_cloud);
  EXPECT_EQ(output_kind("scan.pcd"), OutputKind::point_cloud);
}

TEST(OutputKind, NoneForImagesBinariesAndNamesWithoutExtension) {
  EXPECT_EQ(output_kind("out.png"), OutputKind::none);
  EXPECT_EQ(output_kind("out.bin"), OutputKind::none);
  EXPECT_EQ(output_kind("Makefile"), OutputKind::none);
  EXPECT_EQ(output_kind(".txt"), OutputKind::none);  // a hidden file named "txt"
  EXPECT_EQ(output_kind("dir.txt/file"), OutputKind::none);
}

TEST(OutputKind, QaBoardViewerTypesChooseTheViewer) {
  EXPECT_EQ(visualization_kind("plotly/json", "reports/kpi"), OutputKind::json);
  EXPECT_EQ(visualization_kind("flame/json", "perf.flame.json"), OutputKind::json);
  EXPECT_EQ(visualization_kind("plain/html", "page.dat"), OutputKind::html);
  EXPECT_EQ(visualization_kind("video/*", "clip.bin"), OutputKind::video);
  EXPECT_EQ(visualization_kind("text/plain", "trace.dat"), OutputKind::text);
  EXPECT_EQ(visualization_kind("6dof/txt", "poses.txt"), OutputKind::text);
  EXPECT_EQ(visualization_kind("pointcloud/txt", "cloud.ply"), OutputKind::point_cloud);
  EXPECT_EQ(visualization_kind("pointcloud/txt", "cloud.xyz"), OutputKind::text);
  EXPECT_EQ(visualization_kind("image/jpg", "debug.jpg"), OutputKind::none);
  EXPECT_EQ(visualization_kind("something/new", "x"), OutputKind::text);
  // No type: the extension decides, and a file it cannot identify is text.
  EXPECT_EQ(visualization_kind("", "table.csv"), OutputKind::csv);
  EXPECT_EQ(visualization_kind("", "debug.bin"), OutputKind::text);
}

TEST(OutputKind, Names) {
  EXPECT_EQ(output_kind_name(OutputKind::point_cloud), "point_cloud");
  EXPECT_EQ(output_kind_name(OutputKind::csv), "csv");
  EXPECT_EQ(output_kind_name(OutputKind::none), "none");
}

TEST(OutputKind, PlotlyFigures) {
  using nlohmann::json;
  EXPECT_TRUE(is_plotly_figure(json::parse(R"({"data": [{"y": [1, 2]}]})")));
  EXPECT_TRUE(is_plotly_figure(
      json::parse(R"({"data": [{"type": "bar", "y": [1]}], "layout": {"title": "t"}})")));
  EXPECT_FALSE(is_plotly_figure(json::parse(R"({"data": []})")));
  EXPECT_FALSE(is_plotly_figure(json::parse(R"({"data": [1, 2]})")));
  EXPECT_FALSE(is_plotly_figure(json::parse(R"({"data": [{}], "layout": 3})")));
  EXPECT_FALSE(is_plotly_figure(json::parse(R"({"data": [{}], "psnr": 3})")));
  EXPECT_FALSE(is_plotly_figure(json::parse(R"([{"data": [{}]}])")));
}

TEST(OutputKind, VideoMimeTypes) {
  EXPECT_EQ(video_mime_type("a.mp4"), "video/mp4");
  EXPECT_EQ(video_mime_type("a.WEBM"), "video/webm");
  EXPECT_EQ(video_mime_type("a.ogv"), "video/ogg");
  EXPECT_EQ(video_mime_type("a.txt"), "");
}

}  // namespace
}  // namespace qa::report
