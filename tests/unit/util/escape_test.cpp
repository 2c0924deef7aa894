#include <qa/util/escape.hpp>

#include <gtest/gtest.h>

#include <string>

namespace qa::util {
namespace {

TEST(XmlEscapeTest, TheFiveSpecialCharactersAreEscaped) {
  EXPECT_EQ(xml_escape("a & b < c > d \" e ' f"), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  EXPECT_EQ(xml_escape("&amp;"), "&amp;amp;");  // escaping is not idempotent: escape once
  EXPECT_EQ(xml_escape(""), "");
}

TEST(XmlEscapeTest, ForbiddenControlCharactersBecomeReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b\x1f"
                                   "c\x1b[0m",
                                   9)),
            "a" + replacement + "b" + replacement + "c" + replacement + "[0m");
  EXPECT_EQ(xml_escape(std::string("nul\0end", 7)), "nul" + replacement + "end");
  // Tab, line feed and carriage return are allowed in XML 1.0, and so is UTF-8 text.
  EXPECT_EQ(xml_escape("a\tb\nc\rd"), "a\tb\nc\rd");
  EXPECT_EQ(xml_escape("\xC3\xA9t\xC3\xA9 \xF0\x9F\x94\xB4"), "\xC3\xA9t\xC3\xA9 \xF0\x9F\x94\xB4");
}

TEST(MarkdownEscapeTest, TableAndFormattingCharactersAreEscaped) {
  EXPECT_EQ(markdown_escape("a|b`c*d_e[f]g\\h"), "a\\|b\\`c\\*d\\_e\\[f\\]g\\\\h");
  EXPECT_EQ(markdown_escape("<script>"), "&lt;script&gt;");
  EXPECT_EQ(markdown_escape("two\nlines\r\n"), "two lines  ");
  EXPECT_EQ(markdown_escape("plain-text 1.5 (ok) #3"), "plain-text 1.5 (ok) #3");
}

}  // namespace
}  // namespace qa::util
