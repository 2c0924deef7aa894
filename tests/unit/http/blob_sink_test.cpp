#include <qa/http/blob_sink.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::http {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

class BlobSinkTest : public ::testing::Test {
 protected:
  test::TempDir m_tmp;
  fs::path m_target = m_tmp / "cas/ab/blob";
  util::Hash128 m_hash = util::hash_bytes("hello world");
};

TEST_F(BlobSinkTest, ContentThatMatchesTheHashIsPutInPlaceOnlyAtFinish) {
  BlobSink sink(m_hash, m_target, 0444);
  EXPECT_EQ(sink.hash(), m_hash);
  EXPECT_EQ(sink.target(), m_target);
  ASSERT_TRUE(sink.restart());
  ASSERT_TRUE(sink.write("hello "));
  ASSERT_TRUE(sink.write("world"));
  EXPECT_FALSE(fs::exists(m_target));  // a temporary file beside it meanwhile
  EXPECT_EQ(names_in(m_target.parent_path()).size(), 1U);
  ASSERT_TRUE(sink.finish("http://store/cas/ab/blob", Replace::no));
  EXPECT_EQ(test::read_text(m_target), "hello world");
  EXPECT_EQ(names_in(m_target.parent_path()), std::vector<std::string>{"blob"});
  struct stat st {};
  ASSERT_EQ(::stat(m_target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444U);
}

TEST_F(BlobSinkTest, CorruptContentIsRefusedAndLeavesNothing) {
  BlobSink sink(m_hash, m_target, 0444);
  ASSERT_TRUE(sink.restart());
  ASSERT_TRUE(sink.write("hello w0rld"));
  const auto finished = sink.finish("http://store/cas/ab/blob", Replace::yes);
  ASSERT_FALSE(finished);
  EXPECT_CONTAINS(finished.error().message, "cannot GET \"http://store/cas/ab/blob\"");
  EXPECT_CONTAINS(finished.error().message, "corrupt: 11 bytes that hash to " +
                                                util::hash_bytes("hello w0rld").hex() + ", not " +
                                                m_hash.hex());
  EXPECT_FALSE(fs::exists(m_target));
  EXPECT_TRUE(names_in(m_target.parent_path()).empty());
}

TEST_F(BlobSinkTest, RestartForgetsThePreviousAttempt) {
  BlobSink sink(m_hash, m_target, 0644);
  ASSERT_TRUE(sink.restart());
  ASSERT_TRUE(sink.write("hello wo"));  // the connection broke here
  ASSERT_TRUE(sink.restart());
  ASSERT_TRUE(sink.write("hello world"));
  ASSERT_TRUE(sink.finish("http://store/x", Replace::no));
  EXPECT_EQ(test::read_text(m_target), "hello world");
  EXPECT_EQ(names_in(m_target.parent_path()), std::vector<std::string>{"blob"});
}

TEST_F(BlobSinkTest, FinishWithoutAnyAttemptIsAnError) {
  BlobSink sink(m_hash, m_target, 0444);
  const auto finished = sink.finish("http://store/x", Replace::no);
  ASSERT_FALSE(finished);
  EXPECT_CONTAINS(finished.error().message, "no content");
  EXPECT_FALSE(fs::exists(m_target));
}

TEST_F(BlobSinkTest, AnExistingFileIsKeptUnlessReplaceIsAsked) {
  test::write_text(m_target, "old");
  BlobSink keep(m_hash, m_target, 0644);
  ASSERT_TRUE(keep.restart());
  ASSERT_TRUE(keep.write("hello world"));
  ASSERT_TRUE(keep.finish("http://store/x", Replace::no));
  EXPECT_EQ(test::read_text(m_target), "old");
  BlobSink replace(m_hash, m_target, 0644);
  ASSERT_TRUE(replace.restart());
  ASSERT_TRUE(replace.write("hello world"));
  ASSERT_TRUE(replace.finish("http://store/x", Replace::yes));
  EXPECT_EQ(test::read_text(m_target), "hello world");
  EXPECT_EQ(names_in(m_target.parent_path()), std::vector<std::string>{"blob"});
}

TEST_F(BlobSinkTest, AFileInTheWayOfTheFolderIsAnError) {
  test::write_text(m_tmp / "cas", "a file");
  BlobSink sink(m_hash, m_target, 0444);
  EXPECT_FALSE(sink.restart());
}

}  // namespace
}  // namespace qa::http
