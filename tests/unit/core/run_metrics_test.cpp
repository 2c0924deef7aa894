#include <qa/core/run_metrics.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

using nlohmann::json;
using qa::test::TempDir;
using qa::test::write_text;

// Return the error of reading `content` as a metrics file (failing the test when it reads).
std::string metrics_error(const TempDir& tmp, const std::string& content) {
  const auto file = tmp / k_metrics_file_name;
  write_text(file, content);
  auto metrics = read_run_metrics(file);
  EXPECT_FALSE(metrics) << "accepted: " << content;
  if (metrics) {
    return {};
  }
  EXPECT_CONTAINS(metrics.error().message, file.string());
  return metrics.error().message;
}

TEST(ReadRunMetricsTest, AMissingFileGivesEmptyMetrics) {
  const TempDir tmp;
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(metrics->metrics, json::object());
  EXPECT_EQ(metrics->badges, json::object());
  EXPECT_EQ(metrics->links, json::object());
}

TEST(ReadRunMetricsTest, ReadsNumbersStringsBoolsAndNulls) {
  const TempDir tmp;
  write_text(tmp / "metrics.json",
             R"({"psnr": 31.2, "frames": 120, "negative": -3, "model": "v2", "is_failed": false,
                 "missing": null})");
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(metrics->metrics, json::parse(R"({"psnr": 31.2, "frames": 120, "negative": -3,
                                              "model": "v2", "is_failed": false,
                                              "missing": null})"));
  EXPECT_TRUE(metrics->metrics["frames"].is_number_integer());
  EXPECT_EQ(metrics->badges, json::object());
  EXPECT_EQ(metrics->links, json::object());
}

TEST(ReadRunMetricsTest, AnEmptyObjectGivesEmptyMetrics) {
  const TempDir tmp;
  write_text(tmp / "metrics.json", "{}\n");
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(metrics->metrics, json::object());
}

TEST(ReadRunMetricsTest, KeepsBadgesParamsAndLinksApart) {
  const TempDir tmp;
  write_text(tmp / "metrics.json", R"({
    "psnr": 31.2,
    "badges": {"model": "v2", "epochs": 10},
    "params": {"lr": 0.001},
    "links": {"training": "https://example.com/run/1"}
  })");
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(metrics->metrics, json::parse(R"({"psnr": 31.2})"));
  EXPECT_EQ(metrics->badges, json::parse(R"({"model": "v2", "epochs": 10, "lr": 0.001})"));
  EXPECT_EQ(metrics->links, json::parse(R"({"training": "https://example.com/run/1"})"));
}

TEST(ReadRunMetricsTest, QaBoardParamsAloneAreBadges) {
  const TempDir tmp;
  write_text(tmp / "metrics.json", R"({"params": {"threshold": 0.5}, "score": 1})");
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_TRUE(metrics) << metrics.error().message;
  EXPECT_EQ(metrics->badges, json::parse(R"({"threshold": 0.5})"));
  EXPECT_EQ(metrics->metrics, json::parse(R"({"score": 1})"));
}

TEST(ReadRunMetricsErrorTest, AFileThatIsNotAnObjectNamesTheFile) {
  const TempDir tmp;
  for (const std::string content : {"[1, 2]", "42", "\"text\"", "null", "true"}) {
    const std::string message = metrics_error(tmp, content);
    EXPECT_CONTAINS(message, "object");
  }
}

TEST(ReadRunMetricsErrorTest, ANestedMetricNamesTheMetric) {
  const TempDir tmp;
  EXPECT_CONTAINS(metrics_error(tmp, R"({"psnr": 31.2, "per_frame": {"f1": 30}})"),
                  "\"per_frame\"");
  EXPECT_CONTAINS(metrics_error(tmp, R"({"curve": [1, 2, 3]})"), "\"curve\"");
}

TEST(ReadRunMetricsErrorTest, BadgesOrLinksThatAreNotObjectsAreErrors) {
  const TempDir tmp;
  EXPECT_CONTAINS(metrics_error(tmp, R"({"badges": ["a"]})"), "\"badges\"");
  EXPECT_CONTAINS(metrics_error(tmp, R"({"params": 3})"), "\"params\"");
  EXPECT_CONTAINS(metrics_error(tmp, R"({"links": "https://example.com"})"), "\"links\"");
}

TEST(ReadRunMetricsErrorTest, InvalidJsonIsAnError) {
  const TempDir tmp;
  for (const std::string content : {"", "{", "{\"a\": 1,}", "psnr: 31.2", "{\"a\": NaN}"}) {
    EXPECT_CONTAINS(metrics_error(tmp, content), "JSON");
  }
}

TEST(ReadRunMetricsErrorTest, JsonNestedTooDeepIsAnErrorNotACrash) {
  const TempDir tmp;
  const std::string deep = "{\"m\": " + std::string(70000, '[') + std::string(70000, ']') + "}";
  EXPECT_CONTAINS(metrics_error(tmp, deep), "nested deeper than 64 levels");
}

TEST(ReadRunMetricsErrorTest, AFolderInPlaceOfTheFileIsAnError) {
  const TempDir tmp;
  std::filesystem::create_directories(tmp / "metrics.json");
  auto metrics = read_run_metrics(tmp / "metrics.json");
  ASSERT_FALSE(metrics);
  EXPECT_CONTAINS(metrics.error().message, (tmp / "metrics.json").string());
}

}  // namespace
}  // namespace qa::core
