// The registered slot: empty until set, the last value set wins, safe to use from many threads.
#include <qa/util/hook.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <thread>
#include <vector>

namespace qa::util {
namespace {

TEST(HookTest, EmptyUntilSetThenTheLastValue) {
  Hook<std::function<int(int)>> hook;
  EXPECT_FALSE(hook.get());
  hook.set([](int x) { return x + 1; });
  ASSERT_TRUE(hook.get());
  EXPECT_EQ(hook.get()(1), 2);
  hook.set([](int x) { return x * 10; });
  EXPECT_EQ(hook.get()(3), 30);
  hook.set(nullptr);
  EXPECT_FALSE(hook.get());
}

TEST(HookTest, HoldsAPointer) {
  static const int k_value = 7;
  Hook<const int*> hook;
  EXPECT_EQ(hook.get(), nullptr);
  hook.set(&k_value);
  EXPECT_EQ(hook.get(), &k_value);
}

TEST(HookTest, SetAndGetFromManyThreads) {
  Hook<std::function<int()>> hook;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&hook, i] {
      for (int n = 0; n < 200; ++n) {
        hook.set([i] { return i; });
        const auto value = hook.get();
        EXPECT_TRUE(value);
        EXPECT_GE(value(), 0);
        EXPECT_LT(value(), 8);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
}

}  // namespace
}  // namespace qa::util
