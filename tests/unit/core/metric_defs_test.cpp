#include <qa/core/metric_defs.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

Expected<MetricDefs> load(const std::string& yaml) {
  test::TempDir tmp;
  test::write_text(tmp / "metrics.yaml", yaml);
  return load_metric_defs(tmp / "metrics.yaml");
}

TEST(MetricDefsTest, ReadsQaBoardMetricsFiles) {
  const auto defs = load(R"(available_metrics:
  psnr: {label: PSNR, short_label: P, smaller_is_better: false, target: 30, scale: 2,
         suffix: ' dB', precision: 1, tolerance: 0.05, plot_scale: log}
  mse:
main_metrics: [psnr]
summary_metrics: [psnr]
)");
  ASSERT_TRUE(defs) << defs.error().message;
  const MetricDef psnr = defs->get("psnr");
  EXPECT_TRUE(psnr.declared);
  EXPECT_EQ(psnr.label, "PSNR");
  EXPECT_EQ(psnr.short_label, "P");
  EXPECT_FALSE(psnr.smaller_is_better);
  EXPECT_EQ(psnr.target, 30.0);
  EXPECT_EQ(psnr.scale, 2.0);
  EXPECT_EQ(psnr.suffix, " dB");
  EXPECT_EQ(psnr.precision, 1);
  EXPECT_EQ(psnr.tolerance, 0.05);
  EXPECT_EQ(defs->get("mse").label, "mse");
  EXPECT_TRUE(defs->get("mse").smaller_is_better);
  EXPECT_EQ(defs->main(), std::vector<std::string>{"psnr"});
  EXPECT_EQ(defs->declared(), (std::vector<std::string>{"psnr", "mse"}));
}

TEST(MetricDefsTest, UndeclaredMetricsGetDefaults) {
  const MetricDefs defs;
  const MetricDef other = defs.get("speed");
  EXPECT_FALSE(other.declared);
  EXPECT_EQ(other.label, "speed");
  EXPECT_TRUE(other.smaller_is_better);
  EXPECT_EQ(other.tolerance, 0);
  EXPECT_FALSE(other.informational);
  EXPECT_TRUE(defs.get("compute_time").informational);
}

TEST(MetricDefsTest, ErrorsNameTheFileLineAndKey) {
  const auto typo = load("available_metrics:\n  psnr: {lable: PSNR}\n");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("line 2"), std::string::npos) << typo.error().message;
  EXPECT_NE(typo.error().message.find("did you mean \"label\""), std::string::npos)
      << typo.error().message;

  const auto main = load("available_metrics: {psnr: {}}\nmain_metrics: [ssim]\n");
  ASSERT_FALSE(main);
  EXPECT_NE(main.error().message.find("\"ssim\" is not in available_metrics"), std::string::npos)
      << main.error().message;

  const auto type = load("available_metrics:\n  psnr: {tolerance: lots}\n");
  ASSERT_FALSE(type);
  EXPECT_NE(type.error().message.find("must be a number"), std::string::npos);

  const auto negative = load("available_metrics:\n  psnr: {tolerance: -1}\n");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("must not be negative"), std::string::npos);

  for (const char* key : {"scale", "target", "tolerance", "precision"}) {
    for (const char* value : {".nan", ".inf", "-.inf"}) {
      const auto odd =
          load(std::string("available_metrics:\n  psnr: {") + key + ": " + value + "}\n");
      ASSERT_FALSE(odd) << key << ": " << value;
      EXPECT_NE(odd.error().message.find("line 2: \"available_metrics.psnr." + std::string(key) +
                                         "\" must be a finite number"),
                std::string::npos)
          << odd.error().message;
    }
  }

  const auto missing = load_metric_defs("/nonexistent/metrics.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/metrics.yaml"), std::string::npos);
}

}  // namespace
}  // namespace qa::core
