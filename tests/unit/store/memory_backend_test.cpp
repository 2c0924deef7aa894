#include <qa/store/memory_backend.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <qa/store/store.hpp>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

class MemoryBackendTest : public ::testing::Test {
 protected:
  // Write `content` to the file `name` and return its path.
  fs::path file(const std::string& name, const std::string& content) {
    test::write_text(m_tmp / "src" / name, content);
    return m_tmp / "src" / name;
  }

  test::TempDir m_tmp;
  MemoryBackend m_backend;
};

TEST_F(MemoryBackendTest, BlobsRoundTripAndAreWrittenOnce) {
  const auto hash = util::hash_bytes("content");
  EXPECT_FALSE(*m_backend.has_blob(hash));
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "content"), 7));
  EXPECT_TRUE(*m_backend.has_blob(hash));
  ASSERT_TRUE(m_backend.put_blob(hash, file("b", "content"), 7));
  EXPECT_EQ(m_backend.blob_writes(), 1U);
  ASSERT_TRUE(m_backend.get_blob(hash, m_tmp / "out/a"));
  EXPECT_EQ(test::read_text(m_tmp / "out/a"), "content");
  EXPECT_EQ(m_backend.describe(), "memory://");
}

TEST_F(MemoryBackendTest, AnExistingBlobIsNeverOverwritten) {
  const auto hash = util::hash_bytes("A");
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "A"), 1));
  ASSERT_TRUE(m_backend.put_blob(hash, file("b", "B"), 1));
  ASSERT_TRUE(m_backend.get_blob(hash, m_tmp / "out"));
  EXPECT_EQ(test::read_text(m_tmp / "out"), "A");
}

TEST_F(MemoryBackendTest, ASourceOfTheWrongSizeOrMissingIsRefused) {
  const auto hash = util::hash_bytes("abc");
  const auto changed = m_backend.put_blob(hash, file("a", "abcd"), 3);
  ASSERT_FALSE(changed);
  EXPECT_CONTAINS(changed.error().message, "changed while it was recorded");
  EXPECT_FALSE(m_backend.put_blob(hash, m_tmp / "src/none", 3));
  EXPECT_FALSE(*m_backend.has_blob(hash));
  EXPECT_EQ(m_backend.blob_writes(), 0U);
}

TEST_F(MemoryBackendTest, AMissingOrCorruptBlobIsAnErrorAndLeavesNoFile) {
  const auto hash = util::hash_bytes("good");
  const auto missing = m_backend.get_blob(hash, m_tmp / "out");
  ASSERT_FALSE(missing);
  EXPECT_CONTAINS(missing.error().message, hash.hex() + " is missing");
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "good"), 4));
  m_backend.corrupt_blob(hash, "evil");
  const auto corrupt = m_backend.get_blob(hash, m_tmp / "out");
  ASSERT_FALSE(corrupt);
  EXPECT_CONTAINS(corrupt.error().message, "corrupt");
  EXPECT_FALSE(fs::exists(m_tmp / "out"));
}

TEST_F(MemoryBackendTest, DocumentsAreReplacedAndListedPerFolderSorted) {
  EXPECT_FALSE(m_backend.get_document("p/commits/x/run.json")->has_value());
  ASSERT_TRUE(m_backend.put_document("p/commits/b/run.json", "1"));
  ASSERT_TRUE(m_backend.put_document("p/commits/a/deep/run.json", "2"));
  ASSERT_TRUE(m_backend.put_document("p/commitsx/run.json", "3"));
  ASSERT_TRUE(m_backend.put_document("p/commits/b/run.json", "4"));
  EXPECT_EQ(m_backend.get_document("p/commits/b/run.json")->value_or(""), "4");
  const auto listed = m_backend.list_documents("p/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(*listed, (std::vector<std::string>{"a/deep/run.json", "b/run.json"}));
  EXPECT_TRUE(m_backend.list_documents("q")->empty());
}

TEST_F(MemoryBackendTest, UnsafeDocumentPathsAreRefused) {
  for (const std::string_view rel : {"", "/abs/run.json", "p/../run.json", "p//run.json"}) {
    EXPECT_FALSE(m_backend.put_document(rel, "x")) << rel;
    EXPECT_FALSE(m_backend.get_document(rel)) << rel;
    EXPECT_FALSE(m_backend.list_documents(rel)) << rel;
  }
}

TEST(MemoryStoreTest, MemoryUrlsOpenAnEmptyStoreEachTime) {
  auto first = Store::open("memory://");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->describe(), "memory://");
  ASSERT_TRUE(first->put_branch("acme/demo", BranchIndex{"main", std::string(40, 'a'), ""}));
  EXPECT_TRUE(first->get_branch("acme/demo", "main")->has_value());
  auto second = Store::open("memory://");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->get_branch("acme/demo", "main")->has_value());
}

}  // namespace
}  // namespace qa::store
