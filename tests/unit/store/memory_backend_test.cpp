#include <qa/store/memory_backend.hpp>

#include <gtest/gtest.h>

#include <chrono>
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

TEST_F(MemoryBackendTest, ListObjectsGivesBlobsAndDocumentsWithSizesAndTimes) {
  using std::chrono::system_clock;
  const auto before = std::chrono::floor<std::chrono::seconds>(system_clock::now());
  const auto hash = util::hash_bytes("pixels");
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "pixels"), 6));
  ASSERT_TRUE(m_backend.put_document("p/commits/b/run.json", "1"));
  ASSERT_TRUE(m_backend.put_document("p/commits/a/deep/run.json", "22"));
  ASSERT_TRUE(m_backend.put_document("p/commitsx/run.json", "3"));

  const auto listed = m_backend.list_objects("p/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].path, "a/deep/run.json");
  EXPECT_EQ((*listed)[0].size, 2U);
  EXPECT_EQ((*listed)[1].path, "b/run.json");
  EXPECT_EQ((*listed)[1].size, 1U);
  for (const auto& object : *listed) {
    EXPECT_GE(object.modified, before);
    EXPECT_LE(object.modified, system_clock::now());
  }
  const auto blobs = m_backend.list_objects("cas");
  ASSERT_TRUE(blobs) << blobs.error().message;
  ASSERT_EQ(blobs->size(), 1U);
  EXPECT_EQ("cas/" + (*blobs)[0].path, blob_rel_path(hash));
  EXPECT_EQ((*blobs)[0].size, 6U);
  EXPECT_TRUE(m_backend.list_objects("q")->empty());
  EXPECT_FALSE(m_backend.list_objects("../q"));
}

TEST_F(MemoryBackendTest, SetModifiedMakesObjectsOld) {
  using std::chrono::system_clock;
  const system_clock::time_point old{std::chrono::seconds(1000000000)};
  const auto hash = util::hash_bytes("pixels");
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "pixels"), 6));
  ASSERT_TRUE(m_backend.put_document("p/x.json", "{}"));
  EXPECT_TRUE(m_backend.set_modified(blob_rel_path(hash), old));
  EXPECT_TRUE(m_backend.set_modified("p/x.json", old + std::chrono::hours(1)));
  EXPECT_FALSE(m_backend.set_modified("p/none.json", old));
  EXPECT_FALSE(m_backend.set_modified(blob_rel_path(util::hash_bytes("none")), old));
  EXPECT_EQ(m_backend.list_objects("cas")->front().modified, old);
  EXPECT_EQ(m_backend.list_objects("p")->front().modified, old + std::chrono::hours(1));
  // Writing the blob again (content-addressed: already there) keeps its time.
  ASSERT_TRUE(m_backend.put_blob(hash, file("b", "pixels"), 6));
  EXPECT_EQ(m_backend.list_objects("cas")->front().modified, old);
  // A batch storing it again (put_blobs: it is there, so it is touched) makes it young again.
  ASSERT_TRUE(m_backend.put_blobs({BlobUpload{hash, file("c", "pixels"), 6}}));
  EXPECT_GT(m_backend.list_objects("cas")->front().modified, old + std::chrono::hours(1));
}

TEST_F(MemoryBackendTest, RemoveObjectAndCheckBlob) {
  const auto hash = util::hash_bytes("good");
  ASSERT_TRUE(m_backend.put_blob(hash, file("a", "good"), 4));
  ASSERT_TRUE(m_backend.put_document("p/x.json", "{}"));
  EXPECT_EQ(*m_backend.check_blob(hash), BlobState::intact);
  EXPECT_EQ(*m_backend.check_blob(util::hash_bytes("none")), BlobState::missing);
  m_backend.corrupt_blob(hash, "goof");
  EXPECT_EQ(*m_backend.check_blob(hash), BlobState::corrupt);

  ASSERT_TRUE(m_backend.remove_object("p/x.json"));
  EXPECT_FALSE(m_backend.get_document("p/x.json")->has_value());
  ASSERT_TRUE(m_backend.remove_object(blob_rel_path(hash)));
  EXPECT_FALSE(*m_backend.has_blob(hash));
  EXPECT_EQ(*m_backend.check_blob(hash), BlobState::missing);
  EXPECT_TRUE(m_backend.remove_object(blob_rel_path(hash))) << "already gone";
  EXPECT_TRUE(m_backend.remove_object("p/never.json"));
  EXPECT_FALSE(m_backend.remove_object("/abs"));
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
