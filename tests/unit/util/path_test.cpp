#include <qa/util/path.hpp>

#include <gtest/gtest.h>

#include "support/expect.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <optional>
#include <string>

namespace qa::util {
namespace {

using qa::test::contains;

namespace fs = std::filesystem;
using qa::test::TempDir;
using qa::test::write_text;
using namespace std::string_literals;

// Set (or unset, with nullopt) the environment variable `name` for the scope of a test.
using qa::test::ScopedEnv;

TEST(CheckRelativePathTest, AcceptsOrdinaryRelativePaths) {
  for (const std::string_view rel :
       {"a", "a/b", "a/b/c.txt", ".hidden", "a/.b", "..a", "a..", "a/...", "with space/f g.txt",
        "unicodé/日本語.png", "-dash", "a\\b"}) {
    const auto checked = check_relative_path(rel);
    EXPECT_TRUE(checked) << rel << ": " << checked.error().message;
  }
}

TEST(CheckRelativePathTest, RejectsUnsafePathsNamingThem) {
  for (const std::string& rel :
       {""s, "/"s, "/etc/passwd"s, "//a"s, ".."s, "../a"s, "a/.."s, "a/../b"s, "."s, "./a"s,
        "a/./b"s, "a/."s, "a//b"s, "a/"s, "a/b/"s}) {
    const auto checked = check_relative_path(rel);
    ASSERT_FALSE(checked) << "accepted \"" << rel << "\"";
    EXPECT_TRUE(contains(checked.error().message, "\"" + rel + "\"")) << checked.error().message;
  }
}

TEST(CheckRelativePathTest, RejectsNulBytesWithoutPrintingThem) {
  for (const std::string& rel : {"a\0b"s, "\0"s}) {
    const auto checked = check_relative_path(rel);
    ASSERT_FALSE(checked);
    EXPECT_TRUE(contains(checked.error().message, "NUL byte"));
    EXPECT_EQ(checked.error().message.find('\0'), std::string::npos);
  }
}

TEST(SafeJoinTest, JoinsSafeRelativePath) {
  const TempDir dir;
  const auto joined = safe_join(dir.path(), "sub/file.txt");
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(*joined, dir / "sub/file.txt");
}

TEST(SafeJoinTest, RejectsUnsafeRelativePath) {
  const TempDir dir;
  for (const std::string_view rel : {"../x", "a/../../x", "/etc/passwd", ""}) {
    const auto joined = safe_join(dir.path(), rel);
    ASSERT_FALSE(joined) << "accepted " << rel;
    EXPECT_TRUE(contains(joined.error().message, "\"" + std::string(rel) + "\""))
        << joined.error().message;
  }
}

TEST(SafeJoinTest, RefusesSymlinkLeadingOutsideRoot) {
  const TempDir dir;
  const fs::path root = dir / "root";
  write_text(dir / "outside/secret", "secret");
  fs::create_directories(root);
  fs::create_directory_symlink(dir / "outside", root / "escape");
  fs::create_directory_symlink("../outside", root / "relative-escape");
  fs::create_symlink(dir / "outside/secret", root / "file-escape");
  for (const std::string_view rel :
       {"escape/secret", "escape", "relative-escape/secret", "file-escape", "escape/new-file"}) {
    const auto joined = safe_join(root, rel);
    ASSERT_FALSE(joined) << "accepted " << rel;
    EXPECT_TRUE(contains(joined.error().message, "\"" + std::string(rel) + "\""))
        << joined.error().message;
  }
}

TEST(SafeJoinTest, AcceptsSymlinkStayingInsideRoot) {
  const TempDir dir;
  const fs::path root = dir / "root";
  write_text(root / "real/file", "content");
  fs::create_directory_symlink("real", root / "alias");
  fs::create_directory_symlink(root / "real", root / "absolute-alias");
  for (const std::string_view rel : {"alias/file", "alias", "absolute-alias/file"}) {
    const auto joined = safe_join(root, rel);
    ASSERT_TRUE(joined) << rel << ": " << joined.error().message;
    EXPECT_EQ(*joined, root / rel);
  }
}

TEST(SafeJoinTest, AcceptsRootThatIsItselfASymlink) {
  const TempDir dir;
  write_text(dir / "real-root/file", "content");
  fs::create_directory_symlink(dir / "real-root", dir / "root-link");
  const auto joined = safe_join(dir / "root-link", "file");
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(*joined, dir / "root-link/file");
}

TEST(IsWithinTest, ComparesWholeComponents) {
  EXPECT_TRUE(is_within("/a", "/a"));
  EXPECT_TRUE(is_within("/a", "/a/b"));
  EXPECT_TRUE(is_within("/a", "/a/b/c"));
  EXPECT_TRUE(is_within("/a/", "/a/b"));
  EXPECT_TRUE(is_within("/a/", "/a"));
  EXPECT_TRUE(is_within("/", "/anything"));
  EXPECT_FALSE(is_within("/a", "/ab"));
  EXPECT_FALSE(is_within("/a/b", "/a"));
  EXPECT_FALSE(is_within("/a", "/b/a"));
}

TEST(IsWithinTest, UsesLexicallyNormalForms) {
  EXPECT_FALSE(is_within("/a", "/a/../b"));
  EXPECT_TRUE(is_within("/a", "/a/./b/../c"));
  EXPECT_TRUE(is_within("/x/../a", "/a/b"));
  EXPECT_FALSE(is_within("/a", "/a/.."));
}

TEST(IsWithinTest, RelativePathsAreTakenFromTheCurrentFolder) {
  const fs::path cwd = fs::current_path();
  EXPECT_TRUE(is_within("a", "a/b"));
  EXPECT_TRUE(is_within(cwd, "a"));
  EXPECT_FALSE(is_within("a", "b"));
  EXPECT_FALSE(is_within("a", "a/../b"));
}

TEST(GlobMatchTest, StarCrossesSlashes) {
  EXPECT_TRUE(glob_match("*.log", "x.log"));
  EXPECT_TRUE(glob_match("*.log", "sub/x.log"));
  EXPECT_TRUE(glob_match("*.log", "a/b/c/x.log"));
  EXPECT_TRUE(glob_match("out/*", "out/a/b.png"));
  EXPECT_TRUE(glob_match("*", "a/b"));
  EXPECT_TRUE(glob_match("a?b", "a/b"));
  EXPECT_FALSE(glob_match("*.log", "x.log.gz"));
  EXPECT_FALSE(glob_match("out/*", "other/out/a"));
  EXPECT_FALSE(glob_match("x.log", "sub/x.log"));
}

TEST(GlobMatchTest, FollowsPythonFnmatch) {
  EXPECT_TRUE(glob_match("*", ".hidden"));  // no special case for a leading dot
  EXPECT_TRUE(glob_match("*.txt", "dir/.a.txt"));
  EXPECT_FALSE(glob_match("*.LOG", "x.log"));  // case-sensitive on POSIX
  EXPECT_TRUE(glob_match("[ab].txt", "a.txt"));
  EXPECT_FALSE(glob_match("[ab].txt", "c.txt"));
  EXPECT_TRUE(glob_match("[!ab].txt", "c.txt"));  // `[!...]` negates
  EXPECT_FALSE(glob_match("[!ab].txt", "a.txt"));
  EXPECT_TRUE(glob_match("[*]", "*"));  // how Python escapes a metacharacter
  EXPECT_FALSE(glob_match("[*]", "x"));
  EXPECT_TRUE(glob_match("a\\b", "a\\b"));  // a backslash is an ordinary character
  EXPECT_FALSE(glob_match("a\\b", "ab"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
}

TEST(GlobMatchTest, MatchAnyNeedsOnePattern) {
  const std::vector<std::string> patterns{"*.png", "logs/*"};
  EXPECT_TRUE(glob_match_any(patterns, "a/b.png"));
  EXPECT_TRUE(glob_match_any(patterns, "logs/run.txt"));
  EXPECT_FALSE(glob_match_any(patterns, "a/b.jpg"));
  EXPECT_FALSE(glob_match_any({}, "a"));
}

TEST(ExpandUserAndEnvTest, ExpandsLeadingTilde) {
  const ScopedEnv home("HOME", "/home/tester");
  EXPECT_EQ(expand_user_and_env("~").value(), "/home/tester");
  EXPECT_EQ(expand_user_and_env("~/data/x").value(), "/home/tester/data/x");
  EXPECT_EQ(expand_user_and_env("a/~/b").value(), "a/~/b");
  EXPECT_EQ(expand_user_and_env("~user/x").value(), "~user/x");
}

TEST(ExpandUserAndEnvTest, TildeWithoutHomeIsAnError) {
  const ScopedEnv home("HOME", std::nullopt);
  const auto expanded = expand_user_and_env("~/x");
  ASSERT_FALSE(expanded);
  EXPECT_TRUE(contains(expanded.error().message, "HOME")) << expanded.error().message;
}

TEST(ExpandUserAndEnvTest, ExpandsBracedVariables) {
  const ScopedEnv a("QA_TEST_EXPAND_A", "alpha");
  const ScopedEnv b("QA_TEST_EXPAND_B", "be ta");
  const ScopedEnv empty("QA_TEST_EXPAND_EMPTY", "");
  const ScopedEnv home("HOME", "/h");
  EXPECT_EQ(expand_user_and_env("${QA_TEST_EXPAND_A}").value(), "alpha");
  EXPECT_EQ(expand_user_and_env("/x/${QA_TEST_EXPAND_A}/${QA_TEST_EXPAND_B}.txt").value(),
            "/x/alpha/be ta.txt");
  EXPECT_EQ(expand_user_and_env("${QA_TEST_EXPAND_A}${QA_TEST_EXPAND_A}").value(), "alphaalpha");
  EXPECT_EQ(expand_user_and_env("a${QA_TEST_EXPAND_EMPTY}b").value(), "ab");
  EXPECT_EQ(expand_user_and_env("~/${QA_TEST_EXPAND_A}").value(), "/h/alpha");
  EXPECT_EQ(expand_user_and_env("$QA_TEST_EXPAND_A and $").value(), "$QA_TEST_EXPAND_A and $");
  EXPECT_EQ(expand_user_and_env("plain/path").value(), "plain/path");
  EXPECT_EQ(expand_user_and_env("").value(), "");
}

TEST(ExpandUserAndEnvTest, ValueIsNotExpandedAgain) {
  const ScopedEnv a("QA_TEST_EXPAND_A", "${QA_TEST_EXPAND_UNSET}");
  const ScopedEnv unset("QA_TEST_EXPAND_UNSET", std::nullopt);
  EXPECT_EQ(expand_user_and_env("${QA_TEST_EXPAND_A}").value(), "${QA_TEST_EXPAND_UNSET}");
}

TEST(ExpandUserAndEnvTest, UnsetVariableIsAnErrorNamingIt) {
  const ScopedEnv unset("QA_TEST_EXPAND_UNSET", std::nullopt);
  const auto expanded = expand_user_and_env("/data/${QA_TEST_EXPAND_UNSET}/x");
  ASSERT_FALSE(expanded);
  EXPECT_TRUE(contains(expanded.error().message, "\"QA_TEST_EXPAND_UNSET\""))
      << expanded.error().message;
  EXPECT_TRUE(contains(expanded.error().message, "\"/data/${QA_TEST_EXPAND_UNSET}/x\""))
      << expanded.error().message;
}

TEST(ExpandUserAndEnvTest, UnclosedBraceIsAnError) {
  const ScopedEnv a("QA_TEST_EXPAND_A", "alpha");
  for (const std::string_view text : {"${QA_TEST_EXPAND_A", "a/${", "${QA_TEST_EXPAND_A}/${x"}) {
    const auto expanded = expand_user_and_env(text);
    ASSERT_FALSE(expanded) << "expanded " << text << " to " << *expanded;
    EXPECT_TRUE(contains(expanded.error().message, "\"" + std::string(text) + "\""))
        << expanded.error().message;
    EXPECT_TRUE(contains(expanded.error().message, "unclosed")) << expanded.error().message;
  }
}

}  // namespace
}  // namespace qa::util
