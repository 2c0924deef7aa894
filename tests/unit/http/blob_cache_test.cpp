#include <qa/http/blob_cache.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace qa::http {
namespace {

namespace fs = std::filesystem;
using qa::test::read_text;
using qa::test::TempDir;
using qa::test::write_text;

TEST(BlobCache, EntriesAreReadOnlyAndCopiedOutChecked) {
  TempDir tmp;
  const BlobCache cache(tmp / "cache");
  const auto hash = util::hash_bytes("blob");
  EXPECT_FALSE(*cache.copy_out(hash, tmp / "out" / "a"));
  auto entry = cache.create_entry(hash);
  ASSERT_TRUE(entry);
  ASSERT_TRUE(entry->write("blob"));
  ASSERT_TRUE(entry->commit_no_replace(util::Fsync::no));
  const std::string hex = hash.hex();
  EXPECT_EQ(cache.path(hash), tmp / "cache" / hex.substr(0, 2) / hex.substr(2));
  struct stat st {};
  ASSERT_EQ(::stat(cache.path(hash).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444U);
  ASSERT_TRUE(*cache.copy_out(hash, tmp / "out" / "a"));
  EXPECT_EQ(read_text(tmp / "out" / "a"), "blob");
}

TEST(BlobCache, ACorruptEntryIsRemovedNotServed) {
  TempDir tmp;
  const BlobCache cache(tmp / "cache");
  const auto hash = util::hash_bytes("blob");
  write_text(cache.path(hash), "bl0b");
  EXPECT_FALSE(*cache.copy_out(hash, tmp / "out"));
  EXPECT_FALSE(fs::exists(cache.path(hash)));
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

}  // namespace
}  // namespace qa::http
