#include <qa/util/bury.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace qa::util {
namespace {

// Counts its destructions (moved-from ones excluded).
struct Counted {
  explicit Counted(int* count) : destroyed(count) {}
  Counted(Counted&& other) noexcept : destroyed(std::exchange(other.destroyed, nullptr)) {}
  Counted& operator=(Counted&&) = delete;
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() {
    if (destroyed != nullptr) {
      ++*destroyed;
    }
  }
  int* destroyed;
};

TEST(BuryTest, KeepsWhatItIsGivenAndFreesOnlyTheOldestBeyondAFew) {
  int first_destroyed = 0;
  bury(Counted(&first_destroyed));
  EXPECT_EQ(first_destroyed, 0);
  // What it owns is still there: a buried vector keeps its elements.
  auto numbers = std::make_shared<std::vector<int>>(1000, 7);
  const std::weak_ptr<std::vector<int>> watch = numbers;
  bury(std::shared_ptr<void>(std::move(numbers)));
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(watch.lock()->at(999), 7);
  // Enough others, and the first ones are freed, oldest first.
  std::vector<int> others(8, 0);
  for (int& count : others) {
    bury(Counted(&count));
  }
  EXPECT_EQ(first_destroyed, 1);
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(others.front(), 1);
  EXPECT_EQ(others.back(), 0);
}

}  // namespace
}  // namespace qa::util
