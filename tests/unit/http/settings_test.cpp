#include <qa/http/settings.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace qa::http {
namespace {

// Sets environment variables for one test and restores them after it.
class SettingsTest : public ::testing::Test {
 protected:
  SettingsTest() {
    for (const char* name : k_names) {
      ::unsetenv(name);
    }
  }
  ~SettingsTest() override {
    for (const char* name : k_names) {
      ::unsetenv(name);
    }
  }
  static constexpr const char* k_names[] = {
      "QA_STORE_TOKEN", "QA_STORE_USER",    "QA_STORE_PASSWORD", "QA_STORE_CA",
      "QA_STORE_JOBS",  "QA_STORE_RETRIES", "QA_STORE_TIMEOUT",  "QA_CACHE_DIR"};
};

TEST_F(SettingsTest, TheUrlsUserinfoBecomesCredentialsAndLeavesTheBaseUrl) {
  const auto settings = settings_from_environment("https://ci:p%40ss@store.example:8443/qa/");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->base_url, "https://store.example:8443/qa");
  EXPECT_EQ(settings->credentials.user, "ci");
  EXPECT_EQ(settings->credentials.password, "p@ss");
  EXPECT_TRUE(settings->credentials.token.empty());
  EXPECT_EQ(settings->jobs, 8U);
  EXPECT_EQ(settings->retries, 4);
  EXPECT_EQ(settings->timeout_s, 30);
}

TEST_F(SettingsTest, APasswordWithUnencodedSlashOrAtIsStillAPassword) {
  const auto settings = settings_from_environment("http://alice:S3cr/3t@Pass@127.0.0.1:1/x");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->credentials.user, "alice");
  EXPECT_EQ(settings->credentials.password, "S3cr/3t@Pass");
  EXPECT_EQ(settings->base_url, "http://127.0.0.1:1/x");
}

TEST_F(SettingsTest, TheSchemeIsMatchedWithoutCase) {
  const auto settings = settings_from_environment("HTTPS://Store.Example/qa");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->base_url, "https://Store.Example/qa");
  EXPECT_FALSE(settings_from_environment("ftp://store.example/qa"));
}

TEST_F(SettingsTest, EnvironmentWins) {
  ::setenv("QA_STORE_USER", "bot", 1);
  ::setenv("QA_STORE_PASSWORD", "pw", 1);
  ::setenv("QA_STORE_TOKEN", "tok", 1);
  ::setenv("QA_STORE_JOBS", "3", 1);
  ::setenv("QA_STORE_RETRIES", "0", 1);
  ::setenv("QA_STORE_TIMEOUT", "2", 1);
  ::setenv("QA_STORE_CA", "/etc/ca.pem", 1);
  ::setenv("QA_CACHE_DIR", "/tmp/qa-cache", 1);
  const auto settings = settings_from_environment("http://u:p@host/x");
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->credentials.user, "bot");
  EXPECT_EQ(settings->credentials.password, "pw");
  EXPECT_EQ(settings->credentials.token, "tok");
  EXPECT_EQ(settings->jobs, 3U);
  EXPECT_EQ(settings->retries, 0);
  EXPECT_EQ(settings->timeout_s, 2);
  EXPECT_EQ(settings->ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(settings->blob_cache, std::filesystem::path("/tmp/qa-cache/blobs"));
}

TEST_F(SettingsTest, InvalidValuesNameTheVariableAndNoSecret) {
  ::setenv("QA_STORE_JOBS", "many", 1);
  const auto jobs = settings_from_environment("http://u:s3cr3t@host/x");
  ASSERT_FALSE(jobs);
  EXPECT_NE(jobs.error().message.find("QA_STORE_JOBS"), std::string::npos);
  ::unsetenv("QA_STORE_JOBS");
  const auto query = settings_from_environment("http://u:s3cr3t@host/x?a=b");
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error().message.find("s3cr3t"), std::string::npos) << query.error().message;
  EXPECT_FALSE(settings_from_environment("http:///x"));
}

TEST_F(SettingsTest, ControlCharactersInCredentialsAreRefusedWithoutShowingThem) {
  ::setenv("QA_STORE_TOKEN", "t0k3n\r\nX-Injected: yes", 1);
  const auto token = settings_from_environment("http://host/x");
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("QA_STORE_TOKEN"), std::string::npos);
  EXPECT_EQ(token.error().message.find("t0k3n"), std::string::npos) << token.error().message;
  ::unsetenv("QA_STORE_TOKEN");
  ::setenv("QA_STORE_PASSWORD", "pa\nss", 1);
  EXPECT_FALSE(settings_from_environment("http://host/x"));
  ::unsetenv("QA_STORE_PASSWORD");
  const auto url = settings_from_environment("http://u:s3%0Dcr3t@host/x");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().message.find("s3"), std::string::npos) << url.error().message;
  EXPECT_TRUE(settings_from_environment("http://u:s3cr3t@host/x"));
}

}  // namespace
}  // namespace qa::http
