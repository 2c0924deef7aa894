#include <qa/store/stats.hpp>

#include <gtest/gtest.h>

#include "unit/store/local_store_fixture.hpp"

namespace qa::store {
namespace {

using test::k_sha_a;
using test::k_sha_b;

class StoreStatsTest : public test::LocalStoreTest {};

TEST_F(StoreStatsTest, CountsRecordsBlobsAndTheDeduplication) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "AAAA"}, {"b.txt", "BB"}});
  put(k_sha_b, "default/base/a.png", {{"a.txt", "AAAA"}, {"b.txt", "CC"}});
  put(k_sha_b, "default/base/b.png", {{"a.txt", "AAAA"}}, "other");
  const auto stats = store_stats(*m_store);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->projects, 2U);
  EXPECT_EQ(stats->commits, 3U);
  EXPECT_EQ(stats->records, 3U);
  EXPECT_EQ(stats->blobs, 3U);
  EXPECT_EQ(stats->stored_bytes, 8U);
  EXPECT_EQ(stats->named_bytes, 16U);
  EXPECT_DOUBLE_EQ(stats->dedup_ratio(), 2.0);
  const auto json = to_json(*stats);
  EXPECT_EQ(json["named_bytes"], 16);
  EXPECT_EQ(json["dedup_ratio"], 2.0);
}

TEST_F(StoreStatsTest, AnEmptyStoreHasNoRatio) {
  const auto stats = store_stats(*m_store);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->records, 0U);
  EXPECT_EQ(stats->dedup_ratio(), 0.0);
}

}  // namespace
}  // namespace qa::store
