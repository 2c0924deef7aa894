// Bit accuracy against golden manifests: accepting runs (what is written, what changed, what is
// refused) and checking runs against them, with the words of the writers.
#include <qa/report/bitacc_golden.hpp>

#include <qa/report/bitacc_writers.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

namespace fs = std::filesystem;
using qa::test::read_text;
using qa::test::run_record;
using qa::test::TempDir;
using qa::test::write_text;

core::FileEntry entry(std::string_view content) {
  return core::FileEntry{util::hash_bytes(content), content.size()};
}

// A run with an image, a log and metrics.json; bit accuracy ignores the log.
core::RunRecord run_a() {
  auto record = run_record("default/base/a.png");
  record.files.emplace("out.png", entry("png"));
  record.files.emplace("run.log", entry("log"));
  record.files.emplace("metrics.json", entry("{}"));
  return record;
}

core::FileSelection selection() { return core::FileSelection{{"*"}, {"*.log"}}; }

TEST(GoldenOfTest, HoldsOnlyTheComparedFiles) {
  const auto golden = golden_of(run_a(), selection());
  EXPECT_EQ(golden.key, "default/base/a.png");
  EXPECT_EQ(golden.input, "a.png");
  EXPECT_EQ(golden.files, (core::Manifest{{"out.png", entry("png")}}));
}

TEST(AcceptGoldensTest, WritesNewGoldensListsChangesAndRefusesFailedRuns) {
  const TempDir tmp;
  const fs::path dir = tmp / "golden";
  auto a = run_a();
  const auto b = run_record("default/base/b.png", {}, core::RunStatus::timeout);
  const auto first = accept_goldens(dir, {a, b}, selection());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->accepted.size(), 1U);
  EXPECT_TRUE(first->accepted[0].created);
  ASSERT_EQ(first->rejected.size(), 1U);
  EXPECT_EQ(first->rejected[0].key, "default/base/b.png");
  EXPECT_EQ(first->rejected[0].status, core::RunStatus::timeout);
  EXPECT_EQ(accept_to_text(*first, "golden"),
            "new golden         default/base/a.png  (1 file)\n"
            "accepted 1 run into \"golden\": 1 new, 0 changed, 0 unchanged\n");
  EXPECT_TRUE(fs::exists(dir / "default/base/a.png.json"));
  EXPECT_FALSE(fs::exists(dir / "default/base/b.png.json"));

  a.files["out.png"] = entry("PNG");
  a.files.emplace("mask.png", entry("mask"));
  a.files["run.log"] = entry("another log");
  const auto second = accept_goldens(dir, {a}, selection());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(accept_to_text(*second, "golden"),
            "added              default/base/a.png  mask.png\n"
            "changed            default/base/a.png  out.png\n"
            "accepted 1 run into \"golden\": 0 new, 1 changed, 0 unchanged\n");

  a.files.erase("mask.png");
  const auto third = accept_goldens(dir, {a}, selection());
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(accept_to_text(*third, "golden"),
            "removed            default/base/a.png  mask.png\n"
            "accepted 1 run into \"golden\": 0 new, 1 changed, 0 unchanged\n");

  // Only an ignored file changed: nothing to write.
  a.files["run.log"] = entry("a third log");
  const auto fourth = accept_goldens(dir, {a}, selection());
  ASSERT_TRUE(fourth) << fourth.error().message;
  EXPECT_EQ(fourth->accepted[0].write, core::GoldenWrite::unchanged);
  EXPECT_EQ(accept_to_text(*fourth, "golden"),
            "accepted 1 run into \"golden\": 0 new, 0 changed, 1 unchanged\n");
}

TEST(AcceptGoldensTest, AnUnreadableGoldenStopsBeforeAnyWrite) {
  const TempDir tmp;
  const fs::path dir = tmp / "golden";
  write_text(dir / "default/base/b.png.json", "not json");
  auto b = run_record("default/base/b.png");
  const auto accepted = accept_goldens(dir, {run_a(), b}, selection());
  ASSERT_FALSE(accepted);
  EXPECT_NE(accepted.error().message.find("b.png.json"), std::string::npos)
      << accepted.error().message;
  EXPECT_FALSE(fs::exists(dir / "default/base/a.png.json"));
  EXPECT_EQ(read_text(dir / "default/base/b.png.json"), "not json");
}

TEST(CompareWithGoldensTest, ComparesEachRunWithItsGoldenAndSaysGolden) {
  const TempDir tmp;
  const fs::path dir = tmp / "golden";
  ASSERT_TRUE(core::write_golden(dir, golden_of(run_a(), selection())));
  auto a = run_a();
  a.files["run.log"] = entry("ignored");
  const auto missing = run_record("default/base/c.png");
  const auto report = compare_with_goldens(dir, {a, missing}, selection(), Strict::no);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->runs.size(), 2U);
  EXPECT_EQ(report->runs[0].verdict, BitaccVerdict::identical);
  EXPECT_EQ(report->runs[1].verdict, BitaccVerdict::reference_missing);
  EXPECT_EQ(report->outcome(), BitaccOutcome::identical);
  EXPECT_EQ(bitacc_to_json(*report)["reference"], (nlohmann::json{{"golden", dir.string()}}));
  EXPECT_EQ(bitacc_to_text(*report),
            "no golden manifest default/base/c.png\n"
            "2 runs: 1 identical, 0 different, 1 without golden manifest, 0 failed (golden "
            "manifests in " +
                quote(dir.string()) + ")\n");
  EXPECT_NE(bitacc_to_markdown(*report).find("| default/base/c.png | no golden manifest |"),
            std::string::npos)
      << bitacc_to_markdown(*report);
  EXPECT_NE(bitacc_to_junit(*report).find("<skipped message=\"no golden manifest\"/>"),
            std::string::npos);

  a.files.erase("out.png");
  const auto removed = compare_with_goldens(dir, {a}, selection(), Strict::yes);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->outcome(), BitaccOutcome::different);
  EXPECT_NE(bitacc_to_text(*removed).find("only-golden        default/base/a.png  out.png"),
            std::string::npos)
      << bitacc_to_text(*removed);
}

}  // namespace
}  // namespace qa::report
