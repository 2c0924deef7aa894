#include <qa/util/strings.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace qa::util {
namespace {

using Strings = std::vector<std::string>;

TEST(EditDistanceTest, KnownDistances) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("abc", ""), 3U);
  EXPECT_EQ(edit_distance("", "abcd"), 4U);
  EXPECT_EQ(edit_distance("same", "same"), 0U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2U);
  EXPECT_EQ(edit_distance("batchs", "batches"), 1U);  // insertion
  EXPECT_EQ(edit_distance("batches", "batchs"), 1U);  // deletion
  EXPECT_EQ(edit_distance("inptus", "inputs"), 1U);   // swapping neighbours is one edit
  EXPECT_EQ(edit_distance("levle", "level"), 1U);
  EXPECT_EQ(edit_distance("ab", "ba"), 1U);
  EXPECT_EQ(edit_distance("abcd", "badc"), 2U);  // two separate swaps
  EXPECT_EQ(edit_distance("ac", "ca"), 1U);
  EXPECT_EQ(edit_distance("abc", "cba"), 2U);  // not neighbours: two substitutions
  EXPECT_EQ(edit_distance("abc", "xyz"), 3U);
  EXPECT_EQ(edit_distance("Config", "config"), 1U);  // case-sensitive
}

TEST(EditDistanceTest, IsSymmetric) {
  const Strings words{"", "a", "label", "labels", "lable", "outputs", "output_dir", "xyz"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " / " << b;
    }
  }
}

TEST(DidYouMeanTest, FindsTypo) {
  const Strings keys{"inputs", "batches", "configs", "outputs"};
  EXPECT_EQ(did_you_mean("batchs", keys), "batches");
  EXPECT_EQ(did_you_mean("ouputs", keys), "outputs");
  EXPECT_EQ(did_you_mean("configz", keys), "configs");
  EXPECT_EQ(did_you_mean("inptus", keys), "inputs");  // swapped letters
}

TEST(DidYouMeanTest, PicksClosestCandidate) {
  EXPECT_EQ(did_you_mean("confg", Strings{"configs", "config"}), "config");
  EXPECT_EQ(did_you_mean("confg", Strings{"config", "configs"}), "config");
}

TEST(DidYouMeanTest, PrefixOfACandidateIsATypo) {
  EXPECT_EQ(did_you_mean("conf", Strings{"inputs", "configuration"}), "configuration");
}

TEST(DidYouMeanTest, UnrelatedWordGivesNothing) {
  const Strings keys{"inputs", "batches", "configs", "outputs"};
  EXPECT_EQ(did_you_mean("zzzzzz", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("database", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("batches", Strings{}), std::nullopt);
}

TEST(DidYouMeanTest, DistanceLimitIsAThirdOfTheWord) {
  // "abcdef" has 6 letters: up to 2 edits is a typo, 3 is not.
  EXPECT_EQ(did_you_mean("abcdef", Strings{"abcdXY"}), "abcdXY");
  EXPECT_EQ(did_you_mean("abcdef", Strings{"abcXYZ"}), std::nullopt);
  // Short words still allow one edit.
  EXPECT_EQ(did_you_mean("ab", Strings{"ac"}), "ac");
  EXPECT_EQ(did_you_mean("ab", Strings{"cd"}), std::nullopt);
}

TEST(SuggestionSuffixTest, FormatsSuggestion) {
  const Strings keys{"inputs", "batches"};
  EXPECT_EQ(suggestion_suffix("batchs", keys), " (did you mean \"batches\"?)");
  EXPECT_EQ(suggestion_suffix("unrelated", keys), "");
}

TEST(JoinTest, JoinsWithSeparator) {
  EXPECT_EQ(join(Strings{}, ", "), "");
  EXPECT_EQ(join(Strings{"a"}, ", "), "a");
  EXPECT_EQ(join(Strings{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join(Strings{"a", "b"}, ""), "ab");
  EXPECT_EQ(join(Strings{"", ""}, ","), ",");
  EXPECT_EQ(join(Strings{"", "x", ""}, "/"), "/x/");
}

TEST(SplitTest, EdgeCases) {
  EXPECT_EQ(split("", ','), Strings{""});
  EXPECT_EQ(split("a", ','), Strings{"a"});
  EXPECT_EQ(split("a,b", ','), (Strings{"a", "b"}));
  EXPECT_EQ(split("a,,b", ','), (Strings{"a", "", "b"}));
  EXPECT_EQ(split(",", ','), (Strings{"", ""}));
  EXPECT_EQ(split(",a,", ','), (Strings{"", "a", ""}));
  EXPECT_EQ(split("a b", ','), Strings{"a b"});
  EXPECT_EQ(split("x/y/z", '/'), (Strings{"x", "y", "z"}));
}

TEST(SplitTest, JoinUndoesSplit) {
  for (const std::string text : {"", ",", "a", "a,b", ",,a,,b,,", "no separator"}) {
    EXPECT_EQ(join(split(text, ','), ","), text);
  }
}

TEST(ToLowerTest, LowersAsciiLettersOnly) {
  EXPECT_EQ(to_lower("HTTPS://Host/A_b-9"), "https://host/a_b-9");
  EXPECT_EQ(to_lower("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9") << "UTF-8 bytes are kept";
  EXPECT_EQ(to_lower(""), "");
}

TEST(Utf8Test, AcceptsUtf8AndRefusesBrokenOverlongAndSurrogateBytes) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_utf8("bad\xff.txt"));
  EXPECT_FALSE(is_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong "/"
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Utf8Test, EscapeBytesWritesBadAndControlBytesInOctal) {
  EXPECT_EQ(escape_bytes("bad\xff.txt"), "bad\\377.txt");
  EXPECT_EQ(escape_bytes("a\nb"), "a\\012b");
  EXPECT_EQ(escape_bytes("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(HasControlCharacterTest, FindsWhatWouldBreakAHeaderLine) {
  EXPECT_FALSE(has_control_character("glpat-abc.DEF_123 caf\xc3\xa9"));
  EXPECT_FALSE(has_control_character(""));
  for (const std::string& bad :
       std::vector<std::string>{"a\nb", "a\r", std::string("a\0b", 3), "\x7f", "\tx"}) {
    EXPECT_TRUE(has_control_character(bad)) << escape_bytes(bad);
  }
}

}  // namespace
}  // namespace qa::util
