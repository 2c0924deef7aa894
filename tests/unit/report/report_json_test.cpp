// qa.report/1 beyond the golden file (report_writers_test.cpp): how the text is cut into pieces,
// empty reports, runs on one side only, the merged file lists, null statistics, metric
// definitions and invalid UTF-8.
#include <qa/report/report_json.hpp>

#include <gtest/gtest.h>

#include "support/records.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <qa/version.hpp>

namespace qa::report {
namespace {

using nlohmann::json;

core::FileEntry entry(std::string_view content) {
  return core::FileEntry{util::hash_bytes(content), content.size()};
}

core::RunRecord record(const std::string& key, json metrics, core::Manifest files = {}) {
  auto r = test::run_record(key, std::move(metrics));
  r.branch = "main";
  r.files = std::move(files);
  r.host = "ci-1";
  return r;
}

std::vector<std::string> pieces_of(const Comparison& comparison) {
  std::vector<std::string> pieces;
  write_report_json(comparison, "2026-11-25T03:00:00Z",
                    [&](std::string_view piece) { pieces.emplace_back(piece); });
  return pieces;
}

std::string text_of(const Comparison& comparison) {
  std::string text;
  for (const auto& piece : pieces_of(comparison)) {
    text += piece;
  }
  return text;
}

TEST(ReportJsonTest, AnEmptyReportIsOneDocumentWithNoRuns) {
  const json report = json::parse(text_of(compare({}, {}, {}, CompareOptions{})));
  EXPECT_EQ(report["schema"], "qa.report/1");
  EXPECT_EQ(report["generated_at"], "2026-11-25T03:00:00Z");
  EXPECT_EQ(report["qatools_version"], k_version);
  EXPECT_EQ(report["branch"], nullptr);
  EXPECT_EQ(report["runs"], json::array());
  EXPECT_EQ(report["groups"], json::array());
  EXPECT_EQ(report["totals"]["runs"], 0);
}

TEST(ReportJsonTest, OneTopLevelFieldPerLineThenOneRunPerLine) {
  const auto comparison = compare(
      {record("default/base/a.png", {{"m", 1.0}}), record("default/base/b.png", {{"m", 2.0}})}, {},
      {}, CompareOptions{});
  const auto pieces = pieces_of(comparison);
  // The head holds every field but the runs, one per line.
  ASSERT_FALSE(pieces.empty());
  EXPECT_EQ(std::count(pieces[0].begin(), pieces[0].end(), '\n'), 12);
  EXPECT_TRUE(pieces[0].starts_with("{\"schema\": \"qa.report/1\",\n")) << pieces[0];
  EXPECT_TRUE(pieces[0].ends_with(" \"runs\": [")) << pieces[0];
  std::string text;
  for (const auto& piece : pieces) {
    text += piece;
  }
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 16U) << text;
  EXPECT_EQ(json::parse(lines[13].substr(2, lines[13].size() - 3))["key"], "default/base/a.png");
  EXPECT_EQ(json::parse(lines[14].substr(2))["key"], "default/base/b.png");
  EXPECT_EQ(lines[15], "]}");
  EXPECT_EQ(json::parse(text)["runs"].size(), 2U);
}

TEST(ReportJsonTest, RunsOnOneSideTakeTheirFieldsFromThatSide) {
  auto reference = record("default/base/gone.png", {{"m", 1.0}});
  reference.configs = json::array({"base"});
  reference.exit_code = 0;
  const auto comparison =
      compare({record("default/base/new.png", {{"m", 2.0}})}, {reference}, {}, CompareOptions{});
  ASSERT_EQ(comparison.runs.size(), 2U);
  const json missing = run_to_json(comparison.runs[0], comparison.defs);
  EXPECT_EQ(missing["verdict"], "missing");
  EXPECT_EQ(missing["status"], nullptr);
  EXPECT_EQ(missing["reference_status"], "ok");
  EXPECT_EQ(missing["configs"], json::array({"base"}));
  EXPECT_EQ(missing["exit_code"], nullptr);
  EXPECT_EQ(missing["timing"], nullptr);
  EXPECT_EQ(missing["host"], nullptr);
  EXPECT_EQ(missing["bitacc"], nullptr);
  EXPECT_EQ(missing["metrics"]["m"], (json{{"value", nullptr},
                                           {"reference", 1.0},
                                           {"delta", nullptr},
                                           {"relative", nullptr},
                                           {"verdict", "missing"}}));
  const json added = run_to_json(comparison.runs[1], comparison.defs);
  EXPECT_EQ(added["verdict"], "new");
  EXPECT_EQ(added["reference_status"], nullptr);
  EXPECT_EQ(added["bitacc"], "reference-missing");
  EXPECT_EQ(added["host"], "ci-1");
  EXPECT_EQ(added["log"], nullptr);
  EXPECT_EQ(added["reference_log"], nullptr);
}

TEST(ReportJsonTest, FilesOfBothSidesAreMergedByPath) {
  const auto comparison =
      compare({record("default/base/a.png", json::object(),
                      {{"a", entry("same")}, {"b", entry("new")}, {"d", entry("only new")}})},
              {record("default/base/a.png", json::object(),
                      {{"a", entry("same")}, {"b", entry("old")}, {"c", entry("only ref")}})},
              {}, CompareOptions{});
  const json files = run_to_json(comparison.runs.at(0), comparison.defs)["files"];
  ASSERT_EQ(files.size(), 4U) << files.dump(1);
  EXPECT_EQ(files[0], (json{{"path", "a"},
                            {"change", "identical"},
                            {"xxh128", entry("same").hash.hex()},
                            {"size", 4},
                            {"reference_xxh128", entry("same").hash.hex()},
                            {"reference_size", 4}}));
  EXPECT_EQ(files[1]["change"], "changed");
  EXPECT_EQ(files[1]["reference_xxh128"], entry("old").hash.hex());
  EXPECT_EQ(files[2], (json{{"path", "c"},
                            {"change", "only-reference"},
                            {"reference_xxh128", entry("only ref").hash.hex()},
                            {"reference_size", 8}}));
  EXPECT_EQ(files[3], (json{{"path", "d"},
                            {"change", "only-new"},
                            {"xxh128", entry("only new").hash.hex()},
                            {"size", 8}}));
}

TEST(ReportJsonTest, StatisticsWithoutValuesAreNullAndDefinitionsAreInDisplayOrder) {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.target = 30;
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  auto comparison = compare({record("default/base/a.png", {{"psnr", 31.0}, {"compute_time", 1.0}})},
                            {record("default/base/a.png", {{"psnr", 30.0}, {"ssim", 0.9}})}, defs,
                            CompareOptions{});
  const json report = json::parse(text_of(comparison));
  EXPECT_EQ(report["groups"][0]["metrics"]["ssim"]["value"], (json{{"count", 0},
                                                                   {"mean", nullptr},
                                                                   {"median", nullptr},
                                                                   {"min", nullptr},
                                                                   {"max", nullptr}}));
  EXPECT_EQ(report["groups"][0]["metrics"]["ssim"]["reference"]["count"], 1);
  const json metrics = metric_defs_to_json(comparison);
  ASSERT_GE(metrics.size(), 3U) << metrics.dump(1);
  EXPECT_EQ(metrics[0]["name"], "psnr");
  EXPECT_EQ(metrics[0]["main"], true);
  EXPECT_EQ(metrics[0]["target"], 30.0);
  EXPECT_EQ(metrics[0]["declared"], true);
  for (const auto& def : metrics) {
    if (def["name"] == "compute_time") {
      EXPECT_EQ(def["informational"], true);
      EXPECT_EQ(def["main"], false);
      EXPECT_EQ(def["target"], nullptr);
    }
  }
}

TEST(ReportJsonTest, InvalidUtf8IsReplacedNotThrown) {
  EXPECT_EQ(dump_json(json{{"input", std::string("a\xff") + "b.png"}}),
            "{\"input\":\"a\xEF\xBF\xBD"
            "b.png\"}");
  auto bad = record("default/base/a.png", json::object());
  bad.input = "\xc3(.png";
  const json report = json::parse(text_of(compare({bad}, {}, {}, CompareOptions{})));
  EXPECT_EQ(report["runs"][0]["input"], "\xEF\xBF\xBD(.png");
}

// The runs are written straight as text; each is the document run_to_json builds, dumped:
// runs on either side, failed and bit-different ones, logs, odd numbers, text to escape.
TEST(ReportJsonTest, EachRunIsWrittenAsTheBytesOfItsDocument) {
  auto a = record("default/base/a.png", {{"psnr", 30.5}, {"ssim", 0.9}, {"note", "x"}},
                  {{"a.png", entry("1")}, {"both.txt", entry("same")}, {"z", entry("n")}});
  a.log = core::LogFile{"/abs/log", entry("log")};
  a.exit_code = -3;
  a.timing = core::Timing{0.1, 1e-7, 1e300, 52000};
  a.params = {{"strength", 0.5}, {"n", 3}, {"caf\u00e9", "\"q\"\t"}};
  a.badges = {{"b", std::string("\xff")}};
  auto a_ref = record("default/base/a.png", {{"psnr", 31}, {"ssim", 0.9}, {"old", true}},
                      {{"both.txt", entry("same")}, {"ref-only", entry("r")}, {"z", entry("o")}});
  a_ref.log = core::LogFile{"/abs/ref-log", entry("ref log")};
  auto b = record("nightly/cfg/<b>\u2028\"é\".png", {{"psnr", nullptr}});
  b.status = core::RunStatus::failed;
  b.exit_code.reset();
  b.input = std::string("bad \xc3( utf8 <script>");
  auto c_ref = record("default/base/only-ref.png", {{"psnr", 12.0}});
  c_ref.status = core::RunStatus::timeout;
  const Comparison comparison =
      compare({a, b}, {a_ref, c_ref}, {}, CompareOptions{core::FileSelection{{"*"}, {}}});
  ASSERT_EQ(comparison.runs.size(), 3U);
  for (const auto& run : comparison.runs) {
    std::string text = "prefix";
    append_run_json(run, comparison.defs, text);
    EXPECT_EQ(text, "prefix" + dump_json(run_to_json(run, comparison.defs))) << run.key;
  }
}

}  // namespace
}  // namespace qa::report
