// The bit-accuracy writers beyond bitacc_test.cpp (which checks the sample report's JSON
// schema, text, escaping and one annotation): one-sided files, failed runs, clean reports,
// reports without reference, the annotation limit and escaping.
#include <qa/report/bitacc_writers.hpp>

#include <gtest/gtest.h>

#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace qa::report {
namespace {

core::FileEntry entry(std::string_view content) {
  return core::FileEntry{util::hash_bytes(content), content.size()};
}

RunBitacc run(const std::string& key, BitaccVerdict verdict, std::vector<FileDiff> diffs = {}) {
  RunBitacc result;
  result.key = key;
  result.label = key.substr(0, key.find('/'));
  result.config = key.substr(key.find('/') + 1, key.rfind('/') - key.find('/') - 1);
  result.input = key.substr(key.rfind('/') + 1);
  result.verdict = verdict;
  result.diffs = std::move(diffs);
  result.compared = 2;
  return result;
}

// identical (with a file on one side only), different, failed; two folders: no reference.
BitaccReport mixed() {
  BitaccReport report;
  report.runs.push_back(run("default/base/a.png", BitaccVerdict::identical,
                            {{"extra.txt", FileChange::only_new, entry("x"), std::nullopt}}));
  report.runs.push_back(
      run("default/base/b.png", BitaccVerdict::different,
          {{"out.png", FileChange::changed, entry("1"), entry("2")},
           {"old_mask.png", FileChange::only_reference, std::nullopt, entry("m")}}));
  report.runs.push_back(run("nightly/hdr/c.png", BitaccVerdict::failed));
  return report;
}

TEST(BitaccJsonTest, OneSidedFilesHaveOnlyTheirSidesHashAndSize) {
  const auto json = bitacc_to_json(mixed());
  EXPECT_EQ(json["reference"], nlohmann::json::object());
  EXPECT_EQ(json["summary"], (nlohmann::json{{"runs", 3},
                                             {"identical", 1},
                                             {"different", 1},
                                             {"reference_missing", 0},
                                             {"failed", 1}}));
  const auto& only_new = json["runs"][0]["files"][0];
  EXPECT_EQ(only_new, (nlohmann::json{{"path", "extra.txt"},
                                      {"change", "only-new"},
                                      {"xxh128", entry("x").hash.hex()},
                                      {"size", 1}}));
  const auto& only_reference = json["runs"][1]["files"][1];
  EXPECT_EQ(only_reference, (nlohmann::json{{"path", "old_mask.png"},
                                            {"change", "only-reference"},
                                            {"reference_xxh128", entry("m").hash.hex()},
                                            {"reference_size", 1}}));
  EXPECT_EQ(json["runs"][2]["verdict"], "failed");
  EXPECT_EQ(json["runs"][2]["config"], "hdr");
  EXPECT_EQ(json["runs"][2]["compared"], 2);
}

TEST(BitaccTextTest, FailedRunsAndOneSidedFilesAreListedWithoutReferenceNote) {
  EXPECT_EQ(bitacc_to_text(mixed()),
            "only-new           default/base/a.png  extra.txt\n"
            "changed            default/base/b.png  out.png\n"
            "only-reference     default/base/b.png  old_mask.png\n"
            "failed             nightly/hdr/c.png\n"
            "3 runs: 1 identical, 1 different, 0 without reference, 1 failed\n");
}

TEST(BitaccMarkdownTest, ListsRunsThatAreNotCleanlyIdentical) {
  const std::string md = bitacc_to_markdown(mixed());
  EXPECT_TRUE(md.starts_with("### Bit-accuracy\n\n❌ 3 runs: 1 identical")) << md;
  EXPECT_NE(md.find("| default/base/a.png | identical | `extra.txt` (only-new) |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| default/base/b.png | different | `out.png` (changed)<br>`old\\_mask.png` "
                    "(only-reference) |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| nightly/hdr/c.png | failed |  |\n"), std::string::npos) << md;

  BitaccReport clean;
  clean.runs.push_back(run("default/base/a.png", BitaccVerdict::identical));
  const std::string ok = bitacc_to_markdown(clean);
  EXPECT_EQ(ok,
            "### Bit-accuracy\n\n✅ 1 runs: 1 identical, 0 different, 0 without reference, "
            "0 failed\n\n");
}

TEST(BitaccJunitTest, IdenticalPassesDifferentAndFailedFail) {
  const std::string xml = bitacc_to_junit(mixed());
  EXPECT_NE(xml.find("<testsuites name=\"qa-bitacc\" tests=\"3\" failures=\"2\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"base\" name=\"a.png\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"1 changed, 1 on one side only\" type=\"bit-accuracy\">"
                     "changed out.png\nonly-reference old_mask.png\n</failure>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"nightly\" tests=\"1\" failures=\"1\" errors=\"0\" "
                     "skipped=\"0\">\n    <testcase classname=\"hdr\" name=\"c.png\">\n      "
                     "<failure message=\"the run failed\" type=\"failed\"/>"),
            std::string::npos)
      << xml;
  const test::TempDir tmp;
  test::write_text(tmp / "junit.xml", xml);
  test::sh("xmllint --noout junit.xml", tmp.path());  // fails the test when not well-formed
}

TEST(BitaccAnnotationsTest, OnlyDifferentAndFailedRunsUpToTheLimitWithTheMessageEscaped) {
  BitaccReport report = mixed();
  report.runs[1].diffs[0].path = "100%\r\nsure.png";
  EXPECT_EQ(bitacc_to_github_annotations(report),
            "::error title=qa-bitacc default/base/b.png::1 changed, 1 on one side only: "
            "100%25%0D%0Asure.png\n"
            "::error title=qa-bitacc nightly/hdr/c.png::the run failed\n");
  EXPECT_EQ(bitacc_to_github_annotations(report, 1),
            "::error title=qa-bitacc default/base/b.png::1 changed, 1 on one side only: "
            "100%25%0D%0Asure.png\n");
  EXPECT_EQ(bitacc_to_github_annotations(report, 0), "");
}

TEST(BitaccAnnotationsTest, TheTitlePropertyIsEscaped) {
  // GitHub splits workflow-command properties on `,` and `:` (its toolkit escapes them as %2C
  // and %3A, with %, CR and LF); a key with two parameters has a comma.
  BitaccReport report;
  report.runs.push_back(run("default/q=1,r=2/a.png", BitaccVerdict::failed));
  EXPECT_EQ(bitacc_to_github_annotations(report),
            "::error title=qa-bitacc default/q=1%2Cr=2/a.png::the run failed\n");
}

}  // namespace
}  // namespace qa::report
