#include <qa/http/autoindex.hpp>

#include <gtest/gtest.h>

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
