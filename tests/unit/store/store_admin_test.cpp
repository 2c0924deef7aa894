#include <gtest/gtest.h>

#include <qa/store/memory_backend.hpp>
#include <qa/store/pack.hpp>
#include <qa/store/store.hpp>

#include "unit/store/local_store_fixture.hpp"

namespace qa::store {
namespace {

using test::k_sha_a;
using test::k_sha_b;

class StoreAdminTest : public test::LocalStoreTest {};

TEST_F(StoreAdminTest, InventoryFindsCommitsOfNestedProjectsBlobsAndBranches) {
  put(k_sha_a, "default/base/a.png", {{"out.txt", "A"}});
  put(k_sha_a, "default/base/b.png", {{"out.txt", "B"}});
  put(k_sha_b, "default/base/a.png", {{"out.txt", "A"}}, "acme/camera/isp");
  ASSERT_TRUE(m_store->put_branch(k_project, BranchIndex{"main", k_sha_a, ""}));
  test::write_text(root() / "acme/denoise/packs/aa" / k_sha_a.substr(2) / "index.json", "{}");
  test::write_text(root() / "README", "hello");
  test::write_text(root() / "cas/aa/.tmp.123", "partial");

  const auto inventory = m_store->inventory();
  ASSERT_TRUE(inventory) << inventory.error().message;
  ASSERT_EQ(inventory->commits.size(), 2U);
  EXPECT_EQ(inventory->commits[0].project, "acme/camera/isp");
  EXPECT_EQ(inventory->commits[0].commit, k_sha_b);
  EXPECT_EQ(inventory->commits[0].records, 1U);
  EXPECT_EQ(inventory->commits[1].project, "acme/denoise");
  EXPECT_EQ(inventory->commits[1].records, 2U);
  EXPECT_EQ(inventory->commits[1].packs, 1U);
  EXPECT_GT(inventory->commits[1].bytes, 0U);
  EXPECT_EQ(inventory->blobs.size(), 2U);  // A once, B
  ASSERT_EQ(inventory->branch_indexes.size(), 1U);
  EXPECT_EQ(inventory->branch_indexes[0].first, "acme/denoise");
  EXPECT_EQ(inventory->others, std::vector<std::string>{"README"});
}

TEST(StoreAdminMemoryTest, InventoryListsTheWholeMemoryStore) {
  auto backend = std::make_unique<MemoryBackend>();
  MemoryBackend* memory = backend.get();
  Store store(std::move(backend));
  const std::string path = Store::record_path("p", k_sha_a, "default/base/a.png");
  ASSERT_TRUE(memory->put_document(path, "{}"));
  ASSERT_TRUE(memory->put_document("p/branches/main.json", "{}"));
  const auto inventory = store.inventory();
  ASSERT_TRUE(inventory) << inventory.error().message;
  ASSERT_EQ(inventory->commits.size(), 1U);
  EXPECT_EQ(inventory->commits[0].project, "p");
  EXPECT_EQ(inventory->commits[0].records, 1U);
  EXPECT_EQ(inventory->branch_indexes.size(), 1U);
}

TEST_F(StoreAdminTest, ScanCommitReportsADamagedRecordAndReadsTheOthers) {
  put(k_sha_a, "default/base/a.png", {{"out.txt", "A"}});
  put(k_sha_a, "default/base/b.png", {{"out.txt", "B"}});
  const auto bad = record_file(k_sha_a, "default/base/b.png");
  std::filesystem::permissions(bad, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::filesystem::resize_file(bad, 20);

  const auto scan = m_store->scan_commit(k_project, k_sha_a);
  ASSERT_TRUE(scan) << scan.error().message;
  ASSERT_EQ(scan->records.size(), 1U);
  EXPECT_EQ(scan->records[0].key, "default/base/a.png");
  ASSERT_EQ(scan->damaged.size(), 1U);
  EXPECT_EQ(scan->damaged[0].path, Store::record_path(k_project, k_sha_a, "default/base/b.png"));
  EXPECT_FALSE(scan->damaged[0].message.empty());
}

TEST_F(StoreAdminTest, ScanCommitReadsEachPackOnItsOwn) {
  auto a = put(k_sha_a, "default/base/a.png", {{"out.txt", "A"}});
  auto b = put(k_sha_a, "default/base/b.png", {{"out.txt", "B"}});
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha_a, {a.key, b.key}, {a, b}));
  auto scan = m_store->scan_commit(k_project, k_sha_a);
  ASSERT_TRUE(scan) << scan.error().message;
  EXPECT_TRUE(scan->damaged.empty());
  EXPECT_EQ(scan->records.size(), 4U);  // each run single and packed

  // A pack cut short is damaged, named by its path; the single records still read.
  const auto folder = root() / pack_folder(k_project, k_sha_a);
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (is_pack_name(entry.path().filename().string())) {
      std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::add);
      std::filesystem::resize_file(entry.path(), 12);
    }
  }
  scan = m_store->scan_commit(k_project, k_sha_a);
  ASSERT_TRUE(scan) << scan.error().message;
  ASSERT_EQ(scan->damaged.size(), 1U);
  EXPECT_TRUE(scan->damaged[0].path.starts_with(pack_folder(k_project, k_sha_a) + "/"));
  EXPECT_EQ(scan->records.size(), 2U);
}

TEST_F(StoreAdminTest, RemoveCommitRemovesItsRecordsAndPacksOnly) {
  put(k_sha_a, "default/base/a.png", {{"out.txt", "A"}});
  put(k_sha_b, "default/base/a.png", {{"out.txt", "A"}});
  test::write_text(root() / "acme/denoise/packs/aa" / k_sha_a.substr(2) / "index.json", "{}");

  const auto removed = m_store->remove_commit(k_project, k_sha_a);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->objects, 2U);
  EXPECT_FALSE(std::filesystem::exists(record_file(k_sha_a, "default/base/a.png")));
  EXPECT_FALSE(
      std::filesystem::exists(root() / "acme/denoise/packs/aa" / k_sha_a.substr(2) / "index.json"));
  EXPECT_TRUE(std::filesystem::exists(record_file(k_sha_b, "default/base/a.png")));
  EXPECT_TRUE(std::filesystem::exists(blob_file("A")));
  EXPECT_EQ(m_store->inventory()->commits.size(), 1U);
}

TEST_F(StoreAdminTest, CheckBlobsTellsIntactMissingAndCorrupt) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}, {"b.txt", "B"}});
  std::filesystem::permissions(blob_file("B"), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  test::write_text(blob_file("B"), "C");
  const std::vector<util::Hash128> hashes{util::hash_bytes("A"), util::hash_bytes("B"),
                                          util::hash_bytes("never stored")};
  const auto states = m_store->check_blobs(hashes, 2);
  ASSERT_TRUE(states) << states.error().message;
  EXPECT_EQ(*states,
            (std::vector<BlobState>{BlobState::intact, BlobState::corrupt, BlobState::missing}));
}

TEST_F(StoreAdminTest, RemoveBlobAndListBlobs) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}, {"b.txt", "B"}});
  ASSERT_TRUE(m_store->remove_blob(util::hash_bytes("A")));
  ASSERT_TRUE(m_store->remove_blob(util::hash_bytes("A")));  // already gone: fine
  const auto blobs = m_store->list_blobs();
  ASSERT_TRUE(blobs) << blobs.error().message;
  ASSERT_EQ(blobs->size(), 1U);
  EXPECT_EQ((*blobs)[0].hash, util::hash_bytes("B"));
  EXPECT_EQ((*blobs)[0].size, 1U);
}

TEST_F(StoreAdminTest, ListBranchesReadsEveryIndexOfAProject) {
  ASSERT_TRUE(m_store->put_branch(k_project, BranchIndex{"main", k_sha_a, ""}));
  ASSERT_TRUE(m_store->put_branch(k_project, BranchIndex{"feature/x", k_sha_b, ""}));
  const auto branches = m_store->list_branches(k_project);
  ASSERT_TRUE(branches) << branches.error().message;
  ASSERT_EQ(branches->size(), 2U);
  std::set<std::string> commits;
  for (const auto& branch : *branches) {
    commits.insert(branch.commit);
  }
  EXPECT_EQ(commits, (std::set<std::string>{k_sha_a, k_sha_b}));
}

TEST_F(StoreAdminTest, AReadOnlyStoreRemovesNothing) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}});
  auto reader = Store::open(root().string(), Access::read_only);
  ASSERT_TRUE(reader);
  EXPECT_FALSE(reader->remove_commit(k_project, k_sha_a));
  EXPECT_FALSE(reader->remove_blob(util::hash_bytes("A")));
  EXPECT_TRUE(std::filesystem::exists(blob_file("A")));
}

}  // namespace
}  // namespace qa::store
