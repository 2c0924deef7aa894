#include <qa/util/log.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace qa::util::log {
namespace {

// Configure the log for one test and put the previous program name and level back after it.
class LogTest : public ::testing::Test {
 protected:
  LogTest() : m_program(program()) {
    m_level = enabled(Level::debug)  ? Level::debug
              : enabled(Level::info) ? Level::info
                                     : Level::warning;
  }
  ~LogTest() override { configure(m_program, m_level); }

  std::string m_program;
  Level m_level = Level::info;
};

TEST_F(LogTest, MessagesArePrefixedWithTheProgramAndTheLevel) {
  configure("qa-test", Level::debug);
  EXPECT_EQ(program(), "qa-test");
  ::testing::internal::CaptureStderr();
  info("ran {} runs", 3);
  warning("key {} ignored", "\"x\"");
  debug("{}+{}", 1, 2);
  write(Level::info, "direct");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "qa-test: ran 3 runs\n"
            "qa-test: warning: key \"x\" ignored\n"
            "qa-test: debug: 1+2\n"
            "qa-test: direct\n");
}

TEST_F(LogTest, LevelsBelowTheConfiguredOneAreDropped) {
  configure("qa-test", Level::info);
  EXPECT_FALSE(enabled(Level::debug));
  EXPECT_TRUE(enabled(Level::info));
  ::testing::internal::CaptureStderr();
  debug("hidden");
  info("shown");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "qa-test: shown\n");

  configure("qa-test", Level::warning);
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::warning));
  ::testing::internal::CaptureStderr();
  info("hidden");
  warning("always");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "qa-test: warning: always\n");
}

TEST_F(LogTest, LinesFromSeveralThreadsAreNeverInterleaved) {
  configure("qa-test", Level::info);
  ::testing::internal::CaptureStderr();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        info("thread {} line {} {}", t, i, std::string(100, static_cast<char>('a' + t)));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const std::string text = ::testing::internal::GetCapturedStderr();
  std::size_t lines = 0;
  for (std::size_t start = 0; start < text.size(); ++lines) {
    const std::size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    ASSERT_TRUE(line.starts_with("qa-test: thread ")) << line;
    const char fill = line.back();
    ASSERT_EQ(line.substr(line.size() - 100), std::string(100, fill)) << line;
    start = end + 1;
  }
  EXPECT_EQ(lines, 800U);
}

}  // namespace
}  // namespace qa::util::log
