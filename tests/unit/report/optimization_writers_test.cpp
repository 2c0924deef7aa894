// The optimization in the Markdown summary, the text table and the JSON report: the section of
// the golden document (tests/golden/report/optimization.md; QA_UPDATE_GOLDEN=1 rewrites it),
// the rows kept when there are many evaluations, a search without a best evaluation, escaping.
#include <qa/report/optimization_writers.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <qa/report/comparison.hpp>
#include <qa/report/report_json.hpp>
#include <qa/report/report_writers.hpp>

#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_golden = fs::path(QA_SOURCE_DIR) / "tests/golden/report";

json golden_document() { return json::parse(test::read_text(k_golden / "optimization.json")); }

core::Optimization optimization_of(const json& document) {
  auto read = core::optimization_from_json(document, "best.json");
  EXPECT_TRUE(read) << read.error().message;
  return read ? *read : core::Optimization{};
}

core::MetricDefs psnr_defs() {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.suffix = " dB";
  psnr.precision = 2;
  psnr.declared = true;
  defs.add(psnr);
  return defs;
}

// A document of `count` evaluations: evaluation n has the objective -(n % 7) - n / 100, every
// tenth one failed.
json many_evaluations(std::size_t count) {
  json document = golden_document();
  json evaluations = json::array();
  for (std::size_t n = 1; n <= count; ++n) {
    json evaluation = document["evaluations"][0];
    evaluation["evaluation"] = n;
    evaluation["label"] = "default.iter" + std::to_string(n);
    if (n % 10 == 0) {
      evaluation["status"] = "failed";
      evaluation["objective"] = nullptr;
    } else {
      evaluation["objective"] = -static_cast<double>(n % 7) - static_cast<double>(n) / 100;
    }
    evaluations.push_back(evaluation);
  }
  document["evaluations"] = evaluations;
  document["evaluation"] = 55;  // -(55 % 7) - 0.55 = -6.55, the smallest
  document["label"] = "default.iter55";
  document["objective"] = -6.55;
  document["best_runs"] = json::object();
  return document;
}

TEST(OptimizationWritersTest, MarkdownSectionMatchesGolden) {
  const std::string actual =
      optimization_to_markdown(optimization_of(golden_document()), psnr_defs());
  const fs::path file = k_golden / "optimization.md";
  if (std::getenv("QA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, test::read_text(file))
      << "golden file " << file << " (QA_UPDATE_GOLDEN=1 rewrites it)";
}

TEST(OptimizationWritersTest, MarkdownSectionSaysTheBestAndListsEachEvaluation) {
  const std::string md = optimization_to_markdown(optimization_of(golden_document()), psnr_defs());
  EXPECT_TRUE(md.starts_with("#### Optimization\n\n")) << md;
  EXPECT_NE(md.find("Best objective **-31.9** at evaluation 3 (default.iter3): mode=fine, "
                    "radius=3, sigma=1.4, strength=0.61.\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("5 of 40 evaluations: 3 ok, 1 failed, 1 interrupted; solver global, seed "
                    "42, 4 at once;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| evaluation | status | objective | best so far | strength | sigma | mode | "
                    "PSNR | notes |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 1 | ok | -30.1 | -30.1 | 0.5 | 1 | fast | 30.10 dB |  |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 2 | failed | - | -30.1 | 0.9 | 8.5 | fast | - | every run failed |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 3 (best) | ok | -31.9 | -31.9 | 0.61 | 1.4 | fine | 31.90 dB |  |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 5 | interrupted | - | -31.9 |"), std::string::npos) << md;
  EXPECT_EQ(md.find("not shown"), std::string::npos) << "five rows fit";
}

TEST(OptimizationWritersTest, ManyEvaluationsKeepTheBestAndTheLatest) {
  const core::Optimization optimization = optimization_of(many_evaluations(60));
  const auto shown = shown_evaluations(optimization, 20);
  ASSERT_EQ(shown.size(), 20U);
  EXPECT_TRUE(std::is_sorted(shown.begin(), shown.end()));
  // The ten best: -6.x at n = 6, 13, 27, 34, 41, 48, 55 (20 failed), then -5.54, -5.47 and
  // -5.33 at 54, 47 and 33; then the latest: 60 down to 49 (54 and 55 are among the best).
  for (const std::size_t n : {6U, 13U, 27U, 33U, 34U, 41U, 47U, 48U}) {
    EXPECT_NE(std::find(shown.begin(), shown.end(), n - 1), shown.end()) << n;
  }
  for (std::size_t n = 49; n <= 60; ++n) {
    EXPECT_NE(std::find(shown.begin(), shown.end(), n - 1), shown.end()) << n;
  }
  EXPECT_EQ(std::find(shown.begin(), shown.end(), 0U), shown.end()) << "evaluation 1 is neither";

  const std::string md = optimization_to_markdown(optimization, psnr_defs());
  std::size_t rows = 0;
  for (std::size_t at = md.find("\n| "); at != std::string::npos; at = md.find("\n| ", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 21U) << "the header and 20 rows\n" << md;
  EXPECT_NE(md.find("| 55 (best) | ok | -6.55 | -6.55 |"), std::string::npos) << md;
  EXPECT_NE(md.find("_40 more evaluations not shown: this table holds the 10 best and the "
                    "latest ones; the HTML and JSON reports have them all._"),
            std::string::npos)
      << md;
  EXPECT_EQ(optimization_to_markdown(optimization, psnr_defs(), 100).find("not shown"),
            std::string::npos);
}

TEST(OptimizationWritersTest, NoBestEvaluation) {
  json document = golden_document();
  for (auto& evaluation : document["evaluations"]) {
    evaluation["status"] = "failed";
    evaluation["objective"] = nullptr;
  }
  for (const char* field : {"objective", "params", "evaluation", "label"}) {
    document[field] = nullptr;
  }
  document["best_runs"] = json::object();
  const core::Optimization optimization = optimization_of(document);
  const std::string md = optimization_to_markdown(optimization, psnr_defs());
  EXPECT_NE(md.find("No evaluation succeeded: there are no best runs to compare.\n5 of 40 "
                    "evaluations: 0 ok, 5 failed;"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("(best)"), std::string::npos) << md;
  EXPECT_EQ(optimization_summary(optimization),
            "optimization: no evaluation succeeded, 5 of 40 evaluations: 0 ok, 5 failed");
}

TEST(OptimizationWritersTest, DocumentStringsAreEscaped) {
  json document = golden_document();
  document["evaluations"][0]["point"]["mode"] = "a|b";
  document["evaluations"][1]["notes"] = {"<b>no</b>"};
  document["file"] = "qa/*opt*.yaml";
  const std::string md = optimization_to_markdown(optimization_of(document), psnr_defs());
  EXPECT_NE(md.find("| a\\|b |"), std::string::npos) << md;
  EXPECT_EQ(md.find("<b>"), std::string::npos) << md;
  EXPECT_NE(md.find("qa/\\*opt\\*.yaml"), std::string::npos) << md;
}

TEST(OptimizationWritersTest, ParamsAreShortAndExact) {
  EXPECT_EQ(format_param(json(0.61)), "0.61");
  EXPECT_EQ(format_param(json(1.0)), "1");
  EXPECT_EQ(format_param(json(0.123456789)), "0.123457");
  EXPECT_EQ(format_param(json(3)), "3");
  EXPECT_EQ(format_param(json("fine")), "fine");
  EXPECT_EQ(format_param(json(true)), "true");
}

// A comparison of the best runs with the optimization attached, as qa-report makes it.
Comparison with_optimization() {
  auto comparison = compare({test::run_record("default/default/a.png", {{"psnr", 32.0}})},
                            {test::run_record("default/default/a.png", {{"psnr", 31.0}})},
                            psnr_defs(), CompareOptions{});
  comparison.optimization = optimization_of(golden_document());
  return comparison;
}

TEST(OptimizationWritersTest, TheSummaryHasTheSectionAfterTheHeadlineAndAStableMarker) {
  const std::string md = report_to_markdown(with_optimization());
  EXPECT_TRUE(md.starts_with("<!-- qa-report:optimization:default -->\n")) << md;
  const auto headline = md.find("acme/demo bbbbbbbbbbbb");
  const auto section = md.find("#### Optimization\n");
  const auto aggregates = md.find("| label | config |");
  ASSERT_NE(section, std::string::npos) << md;
  EXPECT_LT(headline, section);
  EXPECT_LT(section, aggregates);

  const std::string plain =
      report_to_markdown(compare({test::run_record("default/default/a.png", {{"psnr", 32.0}})}, {},
                                 psnr_defs(), CompareOptions{}));
  EXPECT_EQ(plain.find("Optimization"), std::string::npos);
}

TEST(OptimizationWritersTest, TheTextTableSaysTheBestInOneLine) {
  const std::string text = report_to_text(with_optimization());
  EXPECT_NE(text.find("\noptimization: best objective -31.9 at evaluation 3 (default.iter3), 5 "
                      "of 40 evaluations: 3 ok, 1 failed, 1 interrupted; mode=fine, radius=3, "
                      "sigma=1.4, strength=0.61\n"),
            std::string::npos)
      << text;
}

TEST(OptimizationWritersTest, TheJsonReportHoldsTheDocumentOnlyWithAnOptimization) {
  std::string text;
  write_report_json(with_optimization(), "2026-11-25T03:00:00Z",
                    [&](std::string_view piece) { text += piece; });
  const json report = json::parse(text);
  EXPECT_EQ(report["optimization"], golden_document());
  EXPECT_EQ(report["schema"], "qa.report/1");

  std::string plain_text;
  write_report_json(compare({test::run_record("default/default/a.png")}, {}, {}, CompareOptions{}),
                    "2026-11-25T03:00:00Z", [&](std::string_view piece) { plain_text += piece; });
  EXPECT_FALSE(json::parse(plain_text).contains("optimization"));
}

}  // namespace
}  // namespace qa::report
