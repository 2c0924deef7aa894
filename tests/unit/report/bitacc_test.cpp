#include <qa/report/bitacc.hpp>

#include <gtest/gtest.h>

#include <qa/report/bitacc_writers.hpp>

namespace qa::report {
namespace {

core::FileEntry entry(std::string_view content) {
  return core::FileEntry{util::hash_bytes(content), content.size()};
}

core::RunRecord record(const std::string& key, core::Manifest files,
                       core::RunStatus status = core::RunStatus::ok) {
  core::RunRecord r;
  r.key = key;
  r.label = key.substr(0, key.find('/'));
  r.input = key.substr(key.rfind('/') + 1);
  r.status = status;
  r.files = std::move(files);
  return r;
}

const core::FileSelection k_all{{"*"}, {"*.log"}};

TEST(CompareManifests, ChangedOneSidedAndIgnoredFiles) {
  const core::Manifest mine{{"a.png", entry("A")}, {"new.txt", entry("n")}, {"x.log", entry("1")}};
  const core::Manifest theirs{
      {"a.png", entry("a")}, {"gone.txt", entry("g")}, {"x.log", entry("2")}};
  const auto lenient = compare_manifests(mine, theirs, k_all, Strict::no);
  EXPECT_EQ(lenient.verdict, BitaccVerdict::different);
  ASSERT_EQ(lenient.diffs.size(), 3U);
  EXPECT_EQ(lenient.diffs[0].path, "a.png");
  EXPECT_EQ(lenient.diffs[0].change, FileChange::changed);
  EXPECT_EQ(lenient.diffs[1].path, "gone.txt");
  EXPECT_EQ(lenient.diffs[1].change, FileChange::only_reference);
  EXPECT_EQ(lenient.diffs[2].path, "new.txt");
  EXPECT_EQ(lenient.diffs[2].change, FileChange::only_new);
  EXPECT_EQ(lenient.compared, 1U);
}

TEST(CompareManifests, OneSidedFilesFailOnlyWhenStrict) {
  const core::Manifest mine{{"a.png", entry("a")}, {"new.txt", entry("n")}};
  const core::Manifest theirs{{"a.png", entry("a")}};
  EXPECT_EQ(compare_manifests(mine, theirs, k_all, Strict::no).verdict, BitaccVerdict::identical);
  EXPECT_EQ(compare_manifests(mine, theirs, k_all, Strict::yes).verdict, BitaccVerdict::different);
}

TEST(CompareManifests, MetricsJsonAndIgnoredFilesAreNeverOneSided) {
  // Either side alone holds a metrics.json or an ignored file: not a difference, even strict.
  const core::Manifest mine{{"a.png", entry("a")}, {"metrics.json", entry("m")}};
  const core::Manifest theirs{{"a.png", entry("a")}, {"z.log", entry("z")}};
  const auto strict = compare_manifests(mine, theirs, k_all, Strict::yes);
  EXPECT_EQ(strict.verdict, BitaccVerdict::identical);
  EXPECT_TRUE(strict.diffs.empty());
  EXPECT_EQ(strict.compared, 1U);
}

TEST(CompareRun, FailedAndMissingReference) {
  const auto failed = compare_run(record("default/base/a.png", {}, core::RunStatus::failed),
                                  record("default/base/a.png", {}), k_all, Strict::no);
  EXPECT_EQ(failed.verdict, BitaccVerdict::failed);
  const auto missing =
      compare_run(record("default/base/a.png", {}), std::nullopt, k_all, Strict::no);
  EXPECT_EQ(missing.verdict, BitaccVerdict::reference_missing);
  EXPECT_EQ(missing.config, "base");
  const auto failed_reference =
      compare_run(record("default/base/a.png", {}),
                  record("default/base/a.png", {}, core::RunStatus::failed), k_all, Strict::no);
  EXPECT_EQ(failed_reference.verdict, BitaccVerdict::reference_missing);
}

TEST(BitaccReportTest, OutcomeOfTheWholeCheck) {
  BitaccReport report;
  EXPECT_EQ(report.outcome(), BitaccOutcome::no_reference) << "nothing compared";
  RunBitacc identical;
  RunBitacc missing;
  missing.verdict = BitaccVerdict::reference_missing;
  report.runs = {missing};
  EXPECT_EQ(report.outcome(), BitaccOutcome::no_reference);
  report.runs = {identical, missing};
  EXPECT_EQ(report.outcome(), BitaccOutcome::identical);
  RunBitacc different;
  different.verdict = BitaccVerdict::different;
  report.runs = {identical, different, missing};
  EXPECT_EQ(report.outcome(), BitaccOutcome::different);
}

BitaccReport sample() {
  BitaccReport report;
  report.reference = {{"commit", std::string(40, 'a')}, {"reason", "given"}};
  report.runs.push_back(compare_run(record("default/base/<img src=x>.png", {{"o.png", entry("1")}}),
                                    record("default/base/<img src=x>.png", {{"o.png", entry("2")}}),
                                    k_all, Strict::no));
  report.runs.push_back(
      compare_run(record("nightly/hdr/b.png", {}), std::nullopt, k_all, Strict::no));
  return report;
}

TEST(BitaccWriters, JsonFollowsTheSchema) {
  const auto json = bitacc_to_json(sample());
  EXPECT_EQ(json["schema"], "qa.bitacc/1");
  EXPECT_EQ(json["summary"]["runs"], 2);
  EXPECT_EQ(json["summary"]["different"], 1);
  EXPECT_EQ(json["summary"]["reference_missing"], 1);
  EXPECT_EQ(json["runs"][0]["files"][0]["change"], "changed");
  EXPECT_EQ(json["runs"][0]["files"][0]["xxh128"], util::hash_bytes("1").hex());
  EXPECT_EQ(json["runs"][0]["files"][0]["reference_xxh128"], util::hash_bytes("2").hex());
  EXPECT_EQ(json["runs"][1]["verdict"], "reference-missing");
}

TEST(BitaccWriters, TextNamesEveryDifferenceThenSummarises) {
  const std::string text = bitacc_to_text(sample());
  EXPECT_EQ(text,
            "changed            default/base/<img src=x>.png  o.png\n"
            "no reference       nightly/hdr/b.png\n"
            "2 runs: 0 identical, 1 different, 1 without reference, 0 failed (reference "
            "aaaaaaaaaaaa: given)\n");
}

TEST(BitaccWriters, JunitEscapesAndSkipsWithoutReference) {
  const std::string xml = bitacc_to_junit(sample());
  EXPECT_EQ(xml.find("<img"), std::string::npos);
  EXPECT_NE(xml.find("name=\"&lt;img src=x&gt;.png\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped/>"), std::string::npos);
  EXPECT_NE(xml.find("<testsuite name=\"default\" tests=\"1\" failures=\"1\""), std::string::npos)
      << xml;
}

TEST(BitaccWriters, MarkdownAndAnnotations) {
  const std::string md = bitacc_to_markdown(sample());
  EXPECT_EQ(md.find("<img"), std::string::npos) << md;
  EXPECT_NE(md.find("| run | verdict | files |"), std::string::npos);
  const std::string annotations = bitacc_to_github_annotations(sample());
  EXPECT_EQ(annotations,
            "::error title=qa-bitacc default/base/<img src=x>.png::1 changed, 0 on one side "
            "only: o.png\n");
}

}  // namespace
}  // namespace qa::report
