#include <qa/util/path_glob.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <string>
#include <vector>

namespace qa::util {
namespace {

namespace fs = std::filesystem;
using qa::test::TempDir;
using qa::test::write_text;

std::vector<std::string> relative(const fs::path& root, const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& path : paths) {
    out.push_back(path.lexically_relative(root).generic_string());
  }
  return out;
}

class GlobUnderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file : {"a.png", "b.jpg", ".hidden.png", "sub/c.png", "sub/deep/d.png",
                             "sub/deep/e.txt", "other/f.png"}) {
      write_text(m_dir.path() / file, "x");
    }
  }
  [[nodiscard]] std::vector<std::string> glob(std::string_view pattern) const {
    return relative(m_dir.path(), glob_under(m_dir.path(), pattern));
  }
  TempDir m_dir;
};

TEST_F(GlobUnderTest, PlainPathIsItselfWhenItExists) {
  EXPECT_EQ(glob("sub/c.png"), (std::vector<std::string>{"sub/c.png"}));
  EXPECT_EQ(glob("sub"), (std::vector<std::string>{"sub"}));
  EXPECT_TRUE(glob("missing.png").empty());
  EXPECT_TRUE(glob("a.png/x").empty());
}

TEST_F(GlobUnderTest, EmptyAndDotNameTheRoot) {
  EXPECT_EQ(glob(""), (std::vector<std::string>{"."}));
  EXPECT_EQ(glob("./"), (std::vector<std::string>{"."}));
}

TEST_F(GlobUnderTest, StarMatchesOneNameHiddenOnesIncluded) {
  EXPECT_EQ(glob("*.png"), (std::vector<std::string>{".hidden.png", "a.png"}));
  EXPECT_EQ(glob("*"), (std::vector<std::string>{".hidden.png", "a.png", "b.jpg", "other", "sub"}));
  EXPECT_EQ(glob("s?b/*.png"), (std::vector<std::string>{"sub/c.png"}));
}

TEST_F(GlobUnderTest, DoubleStarIsAnyNumberOfFolders) {
  EXPECT_EQ(glob("**/*.png"), (std::vector<std::string>{".hidden.png", "a.png", "other/f.png",
                                                        "sub/c.png", "sub/deep/d.png"}));
  EXPECT_EQ(glob("sub/**/*.png"), (std::vector<std::string>{"sub/c.png", "sub/deep/d.png"}));
  // `**` alone names folders, the root included, as pathlib's.
  EXPECT_EQ(glob("sub/**"), (std::vector<std::string>{"sub", "sub/deep"}));
}

TEST_F(GlobUnderTest, DoubleStarDoesNotLoopThroughLinks) {
  fs::create_directory_symlink(m_dir.path(), m_dir.path() / "sub" / "loop");
  EXPECT_EQ(glob("**/d.png"), (std::vector<std::string>{"sub/deep/d.png"}));
}

TEST(PathGlobMatchTest, MatchesSegmentBySegment) {
  EXPECT_TRUE(path_glob_match("*.png", "a.png"));
  EXPECT_FALSE(path_glob_match("*.png", "a/b.png"));
  EXPECT_TRUE(path_glob_match("**/*.png", "b.png"));
  EXPECT_TRUE(path_glob_match("**/*.png", "a/b/c.png"));
  EXPECT_TRUE(path_glob_match("**/Frame_000.jpg", "movie/Frame_000.jpg"));
  EXPECT_FALSE(path_glob_match("**/a*.png", "a/x.png"));
  EXPECT_TRUE(path_glob_match("**/sub/*.png", "x/sub/c.png"));
  EXPECT_FALSE(path_glob_match("**/sub/*.png", "x/sub/d/c.png"));
  EXPECT_TRUE(path_glob_match("a/**/**/b", "a/b"));
  EXPECT_TRUE(path_glob_match("[ab].txt", "b.txt"));
  EXPECT_TRUE(path_glob_match("*", ".hidden"));
}

}  // namespace
}  // namespace qa::util
