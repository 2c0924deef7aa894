#include <qa/http/listing_time.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace qa::http {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

system_clock::time_point at(long long unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

TEST(ListingTime, Rfc3339TimesAsS3GivesThem) {
  // Known answers from `date -u -d 2026-11-30T18:00:00Z +%s`.
  const auto s3 = parse_rfc3339("2026-11-30T18:00:00.000Z");
  ASSERT_TRUE(s3) << s3.error().message;
  EXPECT_EQ(*s3, at(1796061600));
  EXPECT_EQ(*parse_rfc3339("2026-11-30T18:00:00Z"), at(1796061600));
  EXPECT_EQ(*parse_rfc3339("2026-11-30T18:00:00.999999Z"), at(1796061600)) << "fractions dropped";
  EXPECT_EQ(*parse_rfc3339("2026-11-30T19:30:00+01:30"), at(1796061600));
  EXPECT_EQ(*parse_rfc3339("2026-11-30T17:00:00-01:00"), at(1796061600));
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00Z"), at(0));
  EXPECT_EQ(*parse_rfc3339("2000-02-29T00:00:00Z"), at(951782400));
}

TEST(ListingTime, BadRfc3339TimesAreErrors) {
  for (const char* bad :
       {"", "2026-11-30", "2026-11-30T18:00:00", "2026-11-30 18:00:00Z", "2026-11-30T18:00:00.Z",
        "2026-02-30T18:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T18:00:00+0100",
        "2026-11-30T18:00:00Zjunk", "20x6-11-30T18:00:00Z", "2026-13-01T00:00:00Z"}) {
    const auto parsed = parse_rfc3339(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find(std::string("\"") + bad + "\""), std::string::npos)
        << parsed.error().message;
  }
}

TEST(ListingTime, HttpDatesAsNginxGivesThem) {
  const auto nginx = parse_http_date("Mon, 30 Nov 2026 18:00:00 GMT");
  ASSERT_TRUE(nginx) << nginx.error().message;
  EXPECT_EQ(*nginx, at(1796061600));
  EXPECT_EQ(*parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), at(0));
  EXPECT_EQ(*parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"), at(951782400));
  EXPECT_EQ(*parse_http_date("Fri, 31 Dec 2099 23:59:59 GMT"), at(4102444799));
}

TEST(ListingTime, BadHttpDatesAreErrors) {
  for (const char* bad : {"", "Mon, 30 Nov 2026 18:00:00", "Mon, 30 Nov 2026 18:00:00 UTC",
                          "Mon 30 Nov 2026 18:00:00 GMT", "Mon, 30 Noo 2026 18:00:00 GMT",
                          "Mon, 31 Nov 2026 18:00:00 GMT", "Mon, 30 Nov 2026 18:60:00 GMT",
                          "Monday, 30-Nov-26 18:00:00 GMT"}) {
    EXPECT_FALSE(parse_http_date(bad)) << bad;
  }
}

}  // namespace
}  // namespace qa::http
