#include <qa/report/output_payload.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

using nlohmann::json;

TEST(OutputPayload, CutTextAtALineOrACharacter) {
  EXPECT_EQ(cut_text("short", 10), "short");
  EXPECT_EQ(cut_text("one\ntwo\nthree\n", 10), "one\ntwo\n");
  EXPECT_EQ(cut_text("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");
}

TEST(OutputPayload, CsvQuotesDelimitersAndLineBreaks) {
  const auto rows = parse_csv("a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n,,\n", ',', 100);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "x, \"y\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(parse_csv("a\tb\n1\t2", '\t', 100).back(), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(parse_csv("1\n2\n3\n4\n", ',', 2).size(), 2U);
  EXPECT_EQ(parse_csv("1\n\"open", ',', 10).size(), 1U);  // a cut quoted cell is dropped
}

TEST(OutputPayload, TextIsCappedAndSaysSo) {
  PayloadCaps caps;
  caps.max_bytes = 8;
  const json payload = output_payload(OutputKind::text, "a.txt", "line 1\nline 2\nline 3\n", caps);
  EXPECT_EQ(payload["text"], "line 1\n");
  EXPECT_EQ(payload["truncated"], true);
  EXPECT_EQ(payload["size"], 21);
  EXPECT_EQ(output_payload(OutputKind::text, "a.txt", "x\n", {})["truncated"], false);
}

TEST(OutputPayload, JsonParsedMarkedPlotlyOrShownAsText) {
  const json value = output_payload(OutputKind::json, "m.json", R"({"a": [1, "<b>"]})", {});
  EXPECT_EQ(value["json"], json::parse(R"({"a": [1, "<b>"]})"));
  EXPECT_EQ(value["plotly"], false);
  EXPECT_EQ(output_payload(OutputKind::json, "f.json", R"({"data": [{"y": [1]}]})", {})["plotly"],
            true);
  const json broken = output_payload(OutputKind::json, "m.json", "{oops", {});
  EXPECT_EQ(broken["text"], "{oops");
  EXPECT_EQ(broken["note"], "not valid JSON: shown as text");
  PayloadCaps caps;
  caps.max_bytes = 4;
  EXPECT_EQ(output_payload(OutputKind::json, "m.json", "[1, 2, 3]", caps)["note"],
            "too large for a table: shown as text");
}

TEST(OutputPayload, CsvAndTsvRows) {
  const json csv = output_payload(OutputKind::csv, "t.csv", "k,v\na,1\n", {});
  EXPECT_EQ(csv["rows"], json::parse(R"([["k","v"],["a","1"]])"));
  EXPECT_EQ(csv["delimiter"], ",");
  const json tsv = output_payload(OutputKind::csv, "t.TSV", "k\tv\n", {});
  EXPECT_EQ(tsv["rows"], json::parse(R"([["k","v"]])"));
  PayloadCaps caps;
  caps.max_rows = 2;
  EXPECT_EQ(output_payload(OutputKind::csv, "t.csv", "a\nb\nc\nd\n", caps)["truncated"], true);
}

TEST(OutputPayload, HtmlKeptAsText) {
  const json html = output_payload(OutputKind::html, "r.html", "<script>x()</script>", {});
  EXPECT_EQ(html["html"], "<script>x()</script>");
}

TEST(OutputPayload, PointCloudQuantizedInItsBounds) {
  const json payload =
      output_payload(OutputKind::point_cloud, "p.ply",
                     "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
                     "property float z\nend_header\n0 10 5\n2 20 5\n",
                     {});
  const json& points = payload["points"];
  EXPECT_EQ(points["total"], 2);
  EXPECT_EQ(points["shown"], 2);
  EXPECT_EQ(points["min"], json::parse("[0, 10, 5]"));
  EXPECT_EQ(points["q"], json::parse("[0, 0, 0, 65535, 65535, 0]"));
  EXPECT_NEAR(points["scale"][0].get<double>() * 65535, 2.0, 1e-9);
  EXPECT_TRUE(points["colors"].is_null());
  const json broken = output_payload(OutputKind::point_cloud, "p.ply", "ply\nnonsense\n", {});
  EXPECT_FALSE(broken.contains("points"));
  EXPECT_NE(broken["note"].get<std::string>().find("invalid point cloud"), std::string::npos);
}

}  // namespace
}  // namespace qa::report
