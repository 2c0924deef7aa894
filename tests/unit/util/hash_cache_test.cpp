#include <qa/util/hash_cache.hpp>

#include <sys/stat.h>
#include <utime.h>

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>

#include <fmt/core.h>

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

// Save a cache holding the digest of `file` (aged) to `cache_file`.
void save_one(const fs::path& cache_file, const fs::path& file) {
  auto cache = HashCache::load(cache_file);
  ASSERT_TRUE(hash_file_cached(file, cache.get()));
  ASSERT_TRUE(cache->save());
}

TEST_F(HashCacheTest, ADamagedBinaryCacheIsIgnoredAndReplaced) {
  test::write_text(m_tmp / "a.bin", "a");
  age(m_tmp / "a.bin");
  save_one(m_cache_file, m_tmp / "a.bin");
  std::string bytes = test::read_text(m_cache_file);
  ASSERT_GT(bytes.size(), 60U);
  // One bit of the first entry flipped: the checksum no longer matches the body.
  bytes[60] = static_cast<char>(bytes[60] ^ 0x01);
  test::write_text(m_cache_file, bytes);
  auto damaged = HashCache::load(m_cache_file);
  const auto digest = hash_file_cached(m_tmp / "a.bin", damaged.get());
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->hash, hash_bytes("a"));
  EXPECT_EQ(damaged->hits(), 0U) << "no entry of a damaged cache is trusted";
  ASSERT_TRUE(damaged->save());
  auto replaced = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", replaced.get()));
  EXPECT_EQ(replaced->hits(), 1U);
}

TEST_F(HashCacheTest, ATruncatedCacheIsIgnored) {
  test::write_text(m_tmp / "a.bin", "a");
  age(m_tmp / "a.bin");
  save_one(m_cache_file, m_tmp / "a.bin");
  const std::string bytes = test::read_text(m_cache_file);
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{20}, std::size_t{48}, bytes.size() - 1}) {
    test::write_text(m_cache_file, bytes.substr(0, size));
    auto cache = HashCache::load(m_cache_file);
    ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", cache.get()));
    EXPECT_EQ(cache->hits(), 0U) << "truncated to " << size << " bytes";
  }
}

TEST_F(HashCacheTest, AVersionOneTextCacheIsIgnoredAndReplaced) {
  test::write_text(m_tmp / "a.bin", "a");
  age(m_tmp / "a.bin");
  struct stat st {};
  ASSERT_EQ(::stat((m_tmp / "a.bin").c_str(), &st), 0);
  const FileStat file = FileStat::of(st);
  test::write_text(m_cache_file, fmt::format("qa-hash-cache 1\n{} {} {} {} {}\t{}\n", file.inode,
                                             file.size, file.mtime_ns, file.ctime_ns,
                                             hash_bytes("a").hex(), (m_tmp / "a.bin").string()));
  auto old = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", old.get()));
  EXPECT_EQ(old->hits(), 0U);
  ASSERT_TRUE(old->save());
  auto replaced = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", replaced.get()));
  EXPECT_EQ(replaced->hits(), 1U);
}

TEST_F(HashCacheTest, EntriesStayFoundAfterASave) {
  test::write_text(m_tmp / "a.bin", "a");
  test::write_text(m_tmp / "fresh.bin", "fresh");
  age(m_tmp / "a.bin");
  auto cache = HashCache::load(m_cache_file);
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", cache.get()));
  ASSERT_TRUE(hash_file_cached(m_tmp / "fresh.bin", cache.get()));
  ASSERT_TRUE(cache->save());
  ASSERT_TRUE(hash_file_cached(m_tmp / "a.bin", cache.get()));
  ASSERT_TRUE(hash_file_cached(m_tmp / "fresh.bin", cache.get()));
  EXPECT_EQ(cache->hits(), 2U) << "a racy entry is not saved, but this process still trusts it";
}

TEST_F(HashCacheTest, ManyEntriesRoundTrip) {
  constexpr int k_files = 300;
  {
    auto cache = HashCache::load(m_cache_file);
    for (int i = 0; i < k_files; ++i) {
      const fs::path file = m_tmp / "tree" / ("dir " + std::to_string(i % 7)) / std::to_string(i);
      test::write_text(file, std::to_string(i));
      age(file);
      ASSERT_TRUE(hash_file_cached(file, cache.get()));
    }
    ASSERT_TRUE(cache->save());
  }
  auto reloaded = HashCache::load(m_cache_file);
  for (int i = 0; i < k_files; ++i) {
    const fs::path file = m_tmp / "tree" / ("dir " + std::to_string(i % 7)) / std::to_string(i);
    const auto digest = hash_file_cached(file, reloaded.get());
    ASSERT_TRUE(digest);
    EXPECT_EQ(digest->hash, hash_bytes(std::to_string(i)));
  }
  EXPECT_EQ(reloaded->hits(), static_cast<std::size_t>(k_files));
}

}  // namespace
}  // namespace qa::util
