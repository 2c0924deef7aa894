#include <qa/util/url.hpp>

#include <gtest/gtest.h>

namespace qa::util {
namespace {

TEST(RedactUrl, RemovesTheUserinfoOnly) {
  EXPECT_EQ(redact_url("https://user:s3cr3t@store.example/qa"), "https://store.example/qa");
  EXPECT_EQ(redact_url("http://token@127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(redact_url("https://store.example/a@b"), "https://store.example/a@b");
  EXPECT_EQ(redact_url("https://u:p@w@host/x?y=@z"), "https://host/x?y=@z");
  EXPECT_EQ(redact_url("/home/me/store@2"), "/home/me/store@2");
  EXPECT_EQ(redact_url("http://127.0.0.1:8080/team@x/qa"), "http://127.0.0.1:8080/team@x/qa");
}

TEST(RedactUrl, APasswordHoldingDelimitersNeverShows) {
  for (const std::string password : {"S3cr/3tPass", "a#b", "p?q", "x/y#z?w", "p@ss/w"}) {
    EXPECT_EQ(redact_url("http://alice:" + password + "@host/qa"), "http://host/qa") << password;
  }
}

TEST(PercentDecode, DecodesEscapesAndKeepsTheRest) {
  EXPECT_EQ(percent_decode("p%40ss%2fw"), "p@ss/w");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
}

}  // namespace
}  // namespace qa::util
