#include <qa/util/hash_cache.hpp>

#include <sys/stat.h>
#include <utime.h>

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "support/temp_dir.hpp"

namespace qa::util {
namespace {

namespace fs = std::filesystem;

// Set the file's mtime 10 s in the past, so that it is not "racy".
void age(const fs::path& file) {
  struct utimbuf times {};
  times.actime = std::time(nullptr) - 10;
  times.modtime = std::time(nullptr) - 10;
  ASSERT_EQ(::utime(file.c_str(), &times), 0);
}

class HashCacheTest : public ::testing::Test {
 protected:
  test::TempDir m_tmp;
  fs::path m_cache_file = m_tmp / "cache" / "hashes";
};

TEST_F(HashCacheTest, SecondLookupOfAnUnchangedFileIsAHit) {
  test::write_text(m_tmp / "a.bin", "content");
  age(m_tmp / "a.bin");
  auto cache = HashCache::load(m_cache_file);
  const auto first = hash_file_cached(m_tmp / "a.bin", cache.get());
  ASSERT_TRUE(first);
  EXPECT_EQ(cache->hits(), 0U);
  const auto second = hash_file_cached(m_tmp / "a.bin", cache.get());
  ASSERT_TRUE(second);
  EXPECT_EQ(cache->hits(), 1U);
  EXPECT_EQ(second->hash, hash_bytes("content"));
}

TEST_F(HashCacheTest, SavedEntriesServeTheNextProcess) {
  test::write_text(m_tmp / "a.bin", "content");
  age(m_tmp / "a.bin");
  {
    auto cache = HashCache::load(m_cache_file);
    ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", cache.get()));
    ASSERT_TRUE(cache->save());
  }
  auto reloaded = HashCache::load(m_cache_file);
  const auto digest = hash_file_cached(m_tmp / "a.bin", reloaded.get());
  ASSERT_TRUE(digest);
  EXPECT_EQ(reloaded->hits(), 1U);
  EXPECT_EQ(digest->hash, hash_bytes("content"));
}

TEST_F(HashCacheTest, AChangedFileIsHashedAgainEvenWithTheSameSizeAndMtime) {
  test::write_text(m_tmp / "a.bin", "content");
  age(m_tmp / "a.bin");
  auto cache = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", cache.get()));
  struct stat before {};
  ASSERT_EQ(::stat((m_tmp / "a.bin").c_str(), &before), 0);
  test::write_text(m_tmp / "a.bin", "CONTENT");  // same size
  struct utimbuf times {};
  times.actime = before.st_atime;
  times.modtime = before.st_mtime;  // same mtime (seconds); ctime changes
  ASSERT_EQ(::utime((m_tmp / "a.bin").c_str(), &times), 0);
  const auto digest = hash_file_cached(m_tmp / "a.bin", cache.get());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->hash, hash_bytes("CONTENT"));
  EXPECT_EQ(cache->hits(), 0U);
}

TEST_F(HashCacheTest, RecentlyModifiedFilesAreNotSaved) {
  test::write_text(m_tmp / "fresh.bin", "just written");
  {
    auto cache = HashCache::load(m_cache_file);
    ASSERT_TRUE(hash_file_cached(m_tmp / "fresh.bin", cache.get()));
    ASSERT_TRUE(cache->save());
  }
  auto reloaded = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "fresh.bin", reloaded.get()));
  EXPECT_EQ(reloaded->hits(), 0U) << "a file changed within the second is never trusted";
}

TEST_F(HashCacheTest, ConcurrentSavesMergeTheirEntries) {
  test::write_text(m_tmp / "a.bin", "a");
  test::write_text(m_tmp / "b.bin", "b");
  age(m_tmp / "a.bin");
  age(m_tmp / "b.bin");
  auto one = HashCache::load(m_cache_file);
  auto two = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", one.get()));
  ASSERT_TRUE(hash_file_cached(m_tmp / "b.bin", two.get()));
  ASSERT_TRUE(one->save());
  ASSERT_TRUE(two->save());
  auto merged = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", merged.get()));
  ASSERT_TRUE(hash_file_cached(m_tmp / "b.bin", merged.get()));
  EXPECT_EQ(merged->hits(), 2U);
}

TEST_F(HashCacheTest, ACorruptCacheFileIsIgnored) {
  test::write_text(m_cache_file, "not a cache\n1 2 3\n");
  test::write_text(m_tmp / "a.bin", "a");
  auto cache = HashCache::load(m_cache_file);
  const auto digest = hash_file_cached(m_tmp / "a.bin", cache.get());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->hash, hash_bytes("a"));
}

}  // namespace
}  // namespace qa::util
