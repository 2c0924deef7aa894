#include <qa/store/scheme.hpp>

#include <gtest/gtest.h>

#include <qa/store/memory_backend.hpp>

#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

TEST(SchemeTest, PathsAndFileUrlsOpenTheLocalBackend) {
  test::TempDir tmp;
  auto path = open_backend((tmp.path() / "a store").string(), Access::read_write);
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ((*path)->describe(), (tmp.path() / "a store").string());
  auto url = open_backend("FILE://" + (tmp.path() / "b").string(), Access::read_write);
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_TRUE(fs::is_directory(tmp.path() / "b")) << "the scheme is matched without case";
  EXPECT_TRUE(open_backend("Memory://", Access::read_only));
}

TEST(SchemeTest, UnknownSchemesAndEmptyLocationsAreErrors) {
  test::TempDir tmp;
  const auto unknown = open_backend("ftp://me:s3cr3t@host/x", Access::read_write);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown scheme"), std::string::npos);
  EXPECT_EQ(unknown.error().message.find("s3cr3t"), std::string::npos) << unknown.error().message;
  EXPECT_FALSE(fs::exists("ftp:")) << "an unknown scheme became a local folder";
  const auto empty = open_backend("", Access::read_write);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::usage);
}

TEST(SchemeTest, HttpNeedsARegisteredBackendAndNeverShowsTheUserinfo) {
  // qa_unit_tests never calls qa::http::register_schemes(): the table's placeholder answers.
  for (const char* location : {"https://ci:s3cr3t@store.example/qa", "HTTP://ci:s3cr3t@h/qa"}) {
    const auto http = open_backend(location, Access::read_only);
    ASSERT_FALSE(http) << location;
    EXPECT_NE(http.error().message.find("built without the http backend"), std::string::npos)
        << http.error().message;
    EXPECT_EQ(http.error().message.find("s3cr3t"), std::string::npos) << http.error().message;
  }
}

TEST(SchemeTest, RegisteredSchemesOpenTheirBackendWithTheAccessAsked) {
  std::string seen;
  Access seen_access = Access::read_write;
  register_scheme(
      "Test://",
      [&](std::string_view location, Access access) -> Expected<std::unique_ptr<Backend>> {
        seen = std::string(location);
        seen_access = access;
        return std::unique_ptr<Backend>(std::make_unique<MemoryBackend>());
      });
  auto backend = open_backend("tEST://somewhere", Access::read_only);
  ASSERT_TRUE(backend);
  EXPECT_EQ(seen, "tEST://somewhere");
  EXPECT_EQ(seen_access, Access::read_only);
  EXPECT_EQ((*backend)->describe(), "memory://");
}

}  // namespace
}  // namespace qa::store
