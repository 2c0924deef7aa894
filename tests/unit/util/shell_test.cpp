#include <qa/util/shell.hpp>

#include <gtest/gtest.h>

#include <string>

#include "support/process.hpp"

namespace qa::util {
namespace {

// Return what `/bin/sh -c "printf %s <quoted value>"` prints; the test fails when the shell does.
std::string printed_by_shell(const std::string& value) {
  const std::string command = "printf %s " + shell_quote(value);
  return qa::test::sh(command, std::filesystem::current_path());
}

TEST(ShellQuoteTest, PlainWordsAreUnchanged) {
  for (const std::string_view word : {"a", "abc", "ABC", "0123", "file.txt", "/usr/bin/env",
                                      "--flag", "a:b,c+d@e%f", "under_score", "-", "."}) {
    EXPECT_EQ(shell_quote(word), word);
  }
}

TEST(ShellQuoteTest, EveryCharacterOfThePlainSetIsLeftAlone) {
  const std::string plain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:,+@%";
  EXPECT_EQ(shell_quote(plain), plain);
}

TEST(ShellQuoteTest, EmptyStringIsTwoQuotes) { EXPECT_EQ(shell_quote(""), "''"); }

TEST(ShellQuoteTest, SpecialCharactersAreSingleQuoted) {
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote("`id`"), "'`id`'");
  EXPECT_EQ(shell_quote("a\nb"), "'a\nb'");
  EXPECT_EQ(shell_quote("\"x\""), "'\"x\"'");
  EXPECT_EQ(shell_quote("*.png"), "'*.png'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_quote("a\\b"), "'a\\b'");
  EXPECT_EQ(shell_quote("日本"), "'日本'");
  EXPECT_EQ(shell_quote("é"), "'é'");
  // `=` would turn a first word into an assignment.
  EXPECT_EQ(shell_quote("A=1"), "'A=1'");
  EXPECT_EQ(shell_quote("--flag=value"), "'--flag=value'");
}

TEST(ShellQuoteTest, SingleQuoteIsClosedEscapedAndReopened) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("'"), "''\\'''");
}

TEST(ShellQuoteTest, EachShellMetacharacterForcesQuoting) {
  for (const char c : std::string_view(" \t\n'\"`$\\!#&*()[]{};<>?|~^=")) {
    const std::string value = std::string("a") + c + "b";
    const std::string quoted = shell_quote(value);
    EXPECT_EQ(quoted.front(), '\'') << "character " << static_cast<int>(c);
    EXPECT_EQ(quoted.back(), '\'') << "character " << static_cast<int>(c);
  }
}

TEST(ShellQuoteTest, ShellPrintsBackExactlyTheQuotedValue) {
  const std::string tricky[] = {
      "",
      "plain",
      "two words",
      "  leading and trailing  ",
      "it's",
      "'",
      "''",
      "'quoted'",
      "\"double\"",
      "$HOME",
      "${HOME}",
      "$(echo injected)",
      "`echo injected`",
      "a;echo injected",
      "a && b || c",
      "a|b",
      "<in >out 2>&1",
      "*",
      "?",
      "[a-z]*",
      "{a,b}",
      "~",
      "~/x",
      "#not a comment",
      "!bang",
      "back\\slash",
      "\\'",
      "tab\there",
      "new\nline",
      "trailing newline\n",
      "\n",
      "carriage\rreturn",
      "unicodé 日本語 🙂",
      "\xff\xfe raw bytes",
      "%s %d %%",
      "-n",
      "--",
      "a=b c",
      "'$(x)'\"`y`\"",
  };
  for (const std::string& value : tricky) {
    EXPECT_EQ(printed_by_shell(value), value) << "quoted as " << shell_quote(value);
  }
}

}  // namespace
}  // namespace qa::util
