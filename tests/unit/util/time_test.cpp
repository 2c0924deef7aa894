#include <qa/util/time.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/temp_dir.hpp"

namespace qa::util {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point at(long long unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

TEST(Rfc3339Test, UtcWithSecondPrecision) {
  // Known answers from `date -u -d @N +%Y-%m-%dT%H:%M:%SZ`.
  EXPECT_EQ(rfc3339(at(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339(at(1795487404)), "2026-11-24T02:30:04Z");
  EXPECT_EQ(rfc3339(at(951782400)), "2000-02-29T00:00:00Z");
  EXPECT_EQ(rfc3339(at(4102444799)), "2099-12-31T23:59:59Z");
  // Fractions of a second are dropped, not rounded.
  EXPECT_EQ(rfc3339(at(1795487404) + milliseconds(999)), "2026-11-24T02:30:04Z");
}

TEST(Rfc3339Test, NowIsWellFormed) {
  const std::string now = rfc3339(system_clock::now());
  ASSERT_EQ(now.size(), 20U) << now;
  EXPECT_EQ(now[4], '-');
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
  EXPECT_GE(now.substr(0, 4), "2024");
}

TEST(ParseDurationTest, WholeNumbersWithAUnit) {
  EXPECT_EQ(*parse_duration("1d"), std::chrono::hours(24));
  EXPECT_EQ(*parse_duration("12h"), std::chrono::hours(12));
  EXPECT_EQ(*parse_duration("30m"), std::chrono::minutes(30));
  EXPECT_EQ(*parse_duration("0s"), std::chrono::seconds(0));
  for (const char* bad : {"", "1", "d", "1w", "-1d", "1.5h", " 1h", "99999999999999999999d"}) {
    const auto parsed = parse_duration(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::usage);
    EXPECT_TRUE(parsed.error().message.starts_with("invalid duration \""))
        << parsed.error().message;
  }
}

TEST(HumanBytesTest, BinaryUnits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(1023), "1023 B");
  EXPECT_EQ(human_bytes(1536), "1.5 KiB");
  EXPECT_EQ(human_bytes(std::uint64_t{3} << 30), "3.0 GiB");
}

TEST(HostNameTest, IsTheKernelsHostName) {
  std::string expected = test::read_text("/proc/sys/kernel/hostname");
  while (!expected.empty() && expected.back() == '\n') {
    expected.pop_back();
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(host_name(), expected);
}

}  // namespace
}  // namespace qa::util
