#include <qa/report/html_assets.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

TEST(HtmlAssetUrl, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(url_encode_segment("report-assets_1.~"), "report-assets_1.~");
  EXPECT_EQ(url_encode_segment("a b#?%/:"), "a%20b%23%3F%25%2F%3A");
  EXPECT_EQ(url_encode_segment("javascript:alert(1)"), "javascript%3Aalert%281%29");
  EXPECT_EQ(url_encode_segment("caf\xC3\xA9"), "caf%C3%A9");
}

TEST(HtmlAssetFolder, RelativeToThePage) {
  EXPECT_EQ(asset_folder("/r/report.html", "/r/report-assets").url_prefix, "report-assets/");
  EXPECT_EQ(asset_folder("/r/report.html", "/r").url_prefix, "");
  EXPECT_EQ(asset_folder("/r/site/report.html", "/r/img/x y").url_prefix, "../img/x%20y/");
  EXPECT_EQ(asset_folder("/r/report.html", "/r/a/../b/").url_prefix, "b/");
  EXPECT_EQ(asset_folder("/r/report.html", "/r/report-assets").dir,
            std::filesystem::path("/r/report-assets"));
}

TEST(HtmlLogTail, LastLinesOfShortText) {
  EXPECT_EQ(log_tail("", 3, 100), "");
  EXPECT_EQ(log_tail("a\nb\n", 3, 100), "a\nb");
  EXPECT_EQ(log_tail("a\nb\nc\nd\n", 3, 100), "b\nc\nd");
  EXPECT_EQ(log_tail("a\nb\nc\nd", 2, 100), "c\nd");
}

TEST(HtmlLogTail, ByteLimitStartsAtALine) {
  EXPECT_EQ(log_tail("first line\nsecond\nthird\n", 40, 12), "third");
  EXPECT_EQ(log_tail("first line\nsecond\nthird\n", 40, 13), "second\nthird");
}

TEST(HtmlLogTail, OneLongLineStartsAtACharacter) {
  // "é" is two bytes; a cut in its middle skips the continuation byte.
  EXPECT_EQ(log_tail("\xC3\xA9\xC3\xA9\xC3\xA9", 40, 3), "\xC3\xA9");
}

}  // namespace
}  // namespace qa::report
