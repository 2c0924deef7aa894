// The Store's run cache entries and records of stored blobs (store/store_cache.cpp).
#include <qa/store/store.hpp>

#include <gtest/gtest.h>

#include <qa/store/memory_backend.hpp>
#include <qa/util/hash.hpp>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

const std::string k_project = "acme/denoise";
const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";
const std::string k_key = "00112233445566778899aabbccddeeff";

class StoreCacheTest : public ::testing::Test {
 protected:
  StoreCacheTest() {
    auto backend = std::make_unique<MemoryBackend>();
    m_memory = backend.get();
    m_store = std::make_unique<Store>(std::move(backend));
  }

  // An ok run of `key` with one output holding `content`, stored.
  core::RunRecord stored_run(const std::string& key, const std::string& content) {
    core::RunRecord record;
    record.project = k_project;
    record.commit = k_sha;
    record.key = key;
    record.label = "default";
    record.input = "a.png";
    record.status = core::RunStatus::ok;
    test::write_text(m_tmp / key / "out.txt", content);
    record.files["out.txt"] = core::FileEntry{util::hash_bytes(content), content.size()};
    EXPECT_TRUE(m_store->put_run(record, m_tmp / key));
    return record;
  }

  test::TempDir m_tmp;
  MemoryBackend* m_memory = nullptr;
  std::unique_ptr<Store> m_store;
};

TEST_F(StoreCacheTest, AnEntryNamesARunAndTheLatestWriterWins) {
  EXPECT_FALSE(*m_store->get_cache_entry(k_project, k_key));
  ASSERT_TRUE(m_store->put_cache_entry(k_project, k_key, CacheEntry{k_sha, "default/base/a"}));
  ASSERT_TRUE(m_memory->get_document("acme/denoise/cache/00/112233445566778899aabbccddeeff.json")
                  ->has_value());
  ASSERT_TRUE(m_store->put_cache_entry(k_project, k_key, CacheEntry{k_sha, "default/base/b"}));
  const auto entry = m_store->get_cache_entry(k_project, k_key);
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((*entry)->commit, k_sha);
  EXPECT_EQ((*entry)->key, "default/base/b");
}

TEST_F(StoreCacheTest, ABadKeyIsAnErrorAndABadEntryIsIgnored) {
  const auto bad = m_store->get_cache_entry(k_project, "../../etc");
  ASSERT_FALSE(bad);
  EXPECT_CONTAINS(bad.error().message, "invalid cache key");
  ASSERT_TRUE(m_memory->put_document("acme/denoise/cache/00/112233445566778899aabbccddeeff.json",
                                     "{not json"));
  const auto ignored = m_store->get_cache_entry(k_project, k_key);
  ASSERT_TRUE(ignored) << "a damaged entry costs a run, not the batch";
  EXPECT_FALSE(*ignored);
  ASSERT_TRUE(m_memory->put_document("acme/denoise/cache/00/112233445566778899aabbccddeeff.json",
                                     R"({"schema": 1, "commit": 2, "key": null})"));
  const auto wrong_types = m_store->get_cache_entry(k_project, k_key);
  ASSERT_TRUE(wrong_types);
  EXPECT_FALSE(*wrong_types);
}

TEST_F(StoreCacheTest, ARecordOfStoredBlobsIsWrittenOnlyWhenEveryBlobIsThere) {
  auto record = stored_run("default/base/a", "outputs");
  record.key = "default/base/b";
  record.status = core::RunStatus::cached;
  const auto stored = m_store->put_run_of_stored_blobs(record);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_TRUE(*stored);
  const auto read = m_store->get_run(k_project, k_sha, "default/base/b");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->status, core::RunStatus::cached);

  record.key = "default/base/c";
  record.files["gone.txt"] = core::FileEntry{util::hash_bytes("never stored"), 12};
  const auto missing = m_store->put_run_of_stored_blobs(record);
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(*missing);
  EXPECT_FALSE(*m_store->get_run(k_project, k_sha, "default/base/c")) << "nothing written";
}

}  // namespace
}  // namespace qa::store
