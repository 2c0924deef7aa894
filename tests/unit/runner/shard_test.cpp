#include <qa/runner/shard.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace qa::runner {
namespace {

TEST(ParseShard, AcceptsZeroBasedIndexBelowCount) {
  const auto shard = parse_shard("2/3");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2U);
  EXPECT_EQ(shard->count, 3U);
  for (const char* bad : {"3/3", "1/0", "-1/3", "1", "a/b", "1/3x", ""}) {
    const auto parsed = parse_shard(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find(std::string("\"") + bad + "\""), std::string::npos);
  }
}

TEST(ShardIndices, PartitionThePlan) {
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto part = shard_indices(10, Shard{i, 3});
    all.insert(all.end(), part.begin(), part.end());
    for (const auto index : part) {
      EXPECT_EQ(index % 3, i);
    }
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(shard_indices(2, Shard{2, 3}).empty());
}

class ShardEnvironment : public ::testing::Test {
 protected:
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    for (const char* name : {"CI_NODE_INDEX", "CI_NODE_TOTAL", "SLURM_ARRAY_TASK_ID",
                             "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN"}) {
      ::unsetenv(name);
    }
  }
};

TEST_F(ShardEnvironment, NothingSetIsNoShard) {
  const auto shard = shard_from_environment();
  ASSERT_TRUE(shard);
  EXPECT_FALSE(shard->has_value());
}

TEST_F(ShardEnvironment, GitlabIndexIsOneBased) {
  ::setenv("CI_NODE_INDEX", "3", 1);
  ::setenv("CI_NODE_TOTAL", "3", 1);
  const auto shard = shard_from_environment();
  ASSERT_TRUE(shard && shard->has_value());
  EXPECT_EQ((*shard)->index, 2U);
  EXPECT_EQ((*shard)->count, 3U);
  ::setenv("CI_NODE_INDEX", "0", 1);
  EXPECT_FALSE(shard_from_environment());
}

// GitLab predefines CI_NODE_TOTAL=1 in jobs without `parallel:`, and no CI_NODE_INDEX.
TEST_F(ShardEnvironment, GitlabJobWithoutParallelIsNoShard) {
  ::setenv("CI_NODE_TOTAL", "1", 1);
  const auto shard = shard_from_environment();
  ASSERT_TRUE(shard);
  EXPECT_FALSE(shard->has_value());
  ::setenv("CI_NODE_TOTAL", "2", 1);
  const auto missing_index = shard_from_environment();
  ASSERT_FALSE(missing_index);
  EXPECT_NE(missing_index.error().message.find("CI_NODE_INDEX/CI_NODE_TOTAL=/2"), std::string::npos)
      << missing_index.error().message;
}

TEST_F(ShardEnvironment, SlurmArrayCountsFromItsMinimum) {
  ::setenv("SLURM_ARRAY_TASK_ID", "5", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "4", 1);
  const auto shard = shard_from_environment();
  ASSERT_TRUE(shard && shard->has_value());
  EXPECT_EQ((*shard)->index, 1U);
  EXPECT_EQ((*shard)->count, 4U);
}

}  // namespace
}  // namespace qa::runner
