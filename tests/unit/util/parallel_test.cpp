#include <qa/util/parallel.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace qa::util {
namespace {

using Range = std::pair<std::size_t, std::size_t>;

// Run parallel_for and return the ranges it called `body` with, sorted.
std::vector<Range> ranges_of(std::size_t count, std::size_t threads, std::size_t min_chunk) {
  std::mutex mutex;
  std::vector<Range> ranges;
  parallel_for(
      count,
      [&](std::size_t begin, std::size_t end) {
        const std::lock_guard lock(mutex);
        ranges.emplace_back(begin, end);
      },
      threads, min_chunk);
  std::sort(ranges.begin(), ranges.end());
  return ranges;
}

TEST(ParallelForTest, RangesAreContiguousAndCoverEveryIndexOnce) {
  for (const std::size_t count : {1U, 7U, 256U, 1000U, 4097U}) {
    for (const std::size_t threads : {1U, 2U, 3U, 8U}) {
      const auto ranges = ranges_of(count, threads, 16);
      ASSERT_FALSE(ranges.empty());
      EXPECT_LE(ranges.size(), threads);
      std::size_t next = 0;
      for (const auto& [begin, end] : ranges) {
        EXPECT_EQ(begin, next) << count << " items on " << threads << " threads";
        EXPECT_LT(begin, end);
        next = end;
      }
      EXPECT_EQ(next, count);
    }
  }
}

TEST(ParallelForTest, RangesHoldAtLeastTheMinimumChunk) {
  for (const auto& [begin, end] : ranges_of(1000, 8, 300)) {
    EXPECT_GE(end - begin, 300U) << begin;
  }
  EXPECT_EQ(ranges_of(299, 8, 300), (std::vector<Range>{{0, 299}}));
}

TEST(ParallelForTest, NothingToDoCallsNothing) { EXPECT_TRUE(ranges_of(0, 4, 1).empty()); }

TEST(ParallelForTest, SmallCountsRunOnTheCallingThreadLargeOnesOnSeveral) {
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> elsewhere{false};
  parallel_for(100, [&](std::size_t, std::size_t) {
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
  });
  EXPECT_FALSE(elsewhere);

  std::mutex mutex;
  std::vector<std::thread::id> ids;
  parallel_for(
      4,
      [&](std::size_t, std::size_t) {
        const std::lock_guard lock(mutex);
        ids.push_back(std::this_thread::get_id());
      },
      4, 1);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), 4U);
  EXPECT_EQ(std::unique(ids.begin(), ids.end()) - ids.begin(), 4);
}

TEST(ParallelForTest, ReturnsOnlyWhenEveryCallHasReturned) {
  std::vector<int> values(5000, 0);
  parallel_for(
      values.size(),
      [&](std::size_t begin, std::size_t end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(begin == 0 ? 0 : 20));
        for (std::size_t i = begin; i < end; ++i) {
          values[i] = static_cast<int>(i);
        }
      },
      4, 64);
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(values[i], static_cast<int>(i));
  }
}

}  // namespace
}  // namespace qa::util
