#include <qa/http/autoindex.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace qa::http {
namespace {

TEST(Autoindex, ReadsNginxJsonListings) {
  const auto entries = parse_autoindex(R"([
{ "name":"default", "type":"directory", "mtime":"Wed, 25 Nov 2026 06:00:00 GMT" },
{ "name":"run.json", "type":"file", "mtime":"Wed, 25 Nov 2026 06:00:00 GMT", "size":12 }
])");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2U);
  EXPECT_EQ((*entries)[0].name, "default");
  EXPECT_TRUE((*entries)[0].directory);
  EXPECT_EQ((*entries)[1].name, "run.json");
  EXPECT_FALSE((*entries)[1].directory);
}

TEST(Autoindex, EntriesHaveTheirSizeAndTime) {
  const auto entries = parse_autoindex(R"([
{ "name":"ab", "type":"directory", "mtime":"Mon, 30 Nov 2026 18:00:00 GMT" },
{ "name":"big", "type":"file", "mtime":"Mon, 30 Nov 2026 18:00:01 GMT", "size":5000000000 },
{ "name":"bare", "type":"file" }
])");
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 3U);
  // `date -u -d 2026-11-30T18:00:00Z +%s`
  const std::chrono::system_clock::time_point six_pm{std::chrono::seconds(1796061600)};
  EXPECT_EQ((*entries)[0].modified, six_pm);
  EXPECT_EQ((*entries)[0].size, 0U);
  EXPECT_EQ((*entries)[1].modified, six_pm + std::chrono::seconds(1));
  EXPECT_EQ((*entries)[1].size, 5000000000U);
  EXPECT_EQ((*entries)[2].modified, std::chrono::system_clock::time_point()) << "the epoch";
  EXPECT_EQ((*entries)[2].size, 0U);
}

TEST(Autoindex, ABadSizeOrTimeIsNoListing) {
  for (const char* bad : {R"([{"name": "a", "type": "file", "size": -1}])",
                          R"([{"name": "a", "type": "file", "size": "12"}])",
                          R"([{"name": "a", "type": "file", "size": 1.5}])",
                          R"([{"name": "a", "type": "file", "mtime": 1796061600}])",
                          R"([{"name": "a", "type": "file", "mtime": "2026-11-30T18:00:00Z"}])"}) {
    const auto entries = parse_autoindex(bad);
    ASSERT_FALSE(entries) << bad;
    EXPECT_NE(entries.error().message.find("\"a\""), std::string::npos) << entries.error().message;
  }
}

TEST(Autoindex, RefusesWhatIsNotAListing) {
  EXPECT_FALSE(parse_autoindex("<html><body>Index of /</body></html>"));
  EXPECT_FALSE(parse_autoindex(R"({"name": "x"})"));
  EXPECT_FALSE(parse_autoindex(R"([{"type": "file"}])"));
  const auto skipped = parse_autoindex(R"([{"name": "..", "type": "directory"}, {"name": "a/b"}])");
  ASSERT_TRUE(skipped);
  EXPECT_TRUE(skipped->empty());
}

}  // namespace
}  // namespace qa::http
