#include <qa/http/s3_settings.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "support/scoped_env.hpp"

namespace qa::http {
namespace {

using qa::test::ScopedEnv;

constexpr const char* k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

// Clears every variable the S3 settings read, then sets the key pair.
class S3SettingsTest : public ::testing::Test {
 protected:
  S3SettingsTest() {
    for (const char* name :
         {"AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3",
          "AWS_ENDPOINT_URL", "QA_STORE_CA", "QA_STORE_JOBS", "QA_STORE_RETRIES",
          "QA_STORE_TIMEOUT", "QA_CACHE_DIR"}) {
      m_env.push_back(std::make_unique<ScopedEnv>(name));
    }
    m_env.push_back(std::make_unique<ScopedEnv>("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"));
    m_env.push_back(std::make_unique<ScopedEnv>("AWS_SECRET_ACCESS_KEY", k_secret));
  }

  std::vector<std::unique_ptr<ScopedEnv>> m_env;
};

TEST_F(S3SettingsTest, WithoutAnEndpointObjectsAreVirtualHostedInTheRegion) {
  const ScopedEnv region("AWS_DEFAULT_REGION", "eu-west-3");
  const auto location = s3_location_from_environment("s3://qa-results/team/qa/");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->bucket_url, "https://qa-results.s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(location->settings.base_url, "https://qa-results.s3.eu-west-3.amazonaws.com/team/qa");
  EXPECT_EQ(location->prefix, "team/qa");
  EXPECT_EQ(location->settings.display, "s3://qa-results/team/qa");
  ASSERT_TRUE(location->settings.s3);
  EXPECT_EQ(location->settings.s3->region, "eu-west-3");
  EXPECT_EQ(location->settings.s3->access_key, "AKIDEXAMPLE");
  EXPECT_EQ(location->settings.s3->secret_key, k_secret);
  EXPECT_TRUE(location->settings.credentials.user.empty());
}

TEST_F(S3SettingsTest, AnEndpointMeansPathStyleAndAwsRegionWins) {
  const ScopedEnv region("AWS_REGION", "us-west-2");
  const ScopedEnv default_region("AWS_DEFAULT_REGION", "eu-west-3");
  const ScopedEnv endpoint("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/");
  const ScopedEnv token("AWS_SESSION_TOKEN", "session");
  auto location = s3_location_from_environment("s3://qa-results");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->bucket_url, "http://127.0.0.1:9000/qa-results");
  EXPECT_EQ(location->settings.base_url, "http://127.0.0.1:9000/qa-results");
  EXPECT_EQ(location->prefix, "");
  EXPECT_EQ(location->settings.s3->region, "us-west-2");
  EXPECT_EQ(location->settings.s3->session_token, "session");

  const ScopedEnv s3_endpoint("AWS_ENDPOINT_URL_S3", "https://minio.example");
  location = s3_location_from_environment("s3://qa-results/p");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->settings.base_url, "https://minio.example/qa-results/p");
}

TEST_F(S3SettingsTest, TheDefaultRegionIsUsEast1) {
  const auto location = s3_location_from_environment("s3://abc");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->settings.s3->region, "us-east-1");
}

TEST_F(S3SettingsTest, MissingCredentialsNameBothVariables) {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    const ScopedEnv unset(name);
    const auto location = s3_location_from_environment("s3://qa-results/p");
    ASSERT_FALSE(location) << name;
    EXPECT_EQ(location.error().kind, ErrorKind::config);
    EXPECT_NE(location.error().message.find("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
              std::string::npos)
        << location.error().message;
  }
}

TEST_F(S3SettingsTest, BadLocationsAndValuesAreRefusedWithoutTheSecret) {
  for (const char* bad : {"s3://ab/p", "s3://Upper/p", "s3://-abc/p", "s3://abc/a//b",
                          "s3://abc/a/../b", "s3://abc/p?x", "s3:/abc", "s3://"}) {
    const auto location = s3_location_from_environment(bad);
    ASSERT_FALSE(location) << bad;
    EXPECT_EQ(location.error().message.find(k_secret), std::string::npos);
  }
  {
    const ScopedEnv region("AWS_REGION", "eu west");
    const auto location = s3_location_from_environment("s3://abc");
    ASSERT_FALSE(location);
    EXPECT_NE(location.error().message.find("AWS_REGION"), std::string::npos);
  }
  {
    const ScopedEnv endpoint("AWS_ENDPOINT_URL", "ftp://host");
    const auto location = s3_location_from_environment("s3://abc");
    ASSERT_FALSE(location);
    EXPECT_NE(location.error().message.find("AWS_ENDPOINT_URL"), std::string::npos);
  }
  {
    const ScopedEnv secret("AWS_SECRET_ACCESS_KEY", std::string(k_secret) + "\r\nX-Evil: 1");
    const auto location = s3_location_from_environment("s3://abc");
    ASSERT_FALSE(location);
    EXPECT_NE(location.error().message.find("control character"), std::string::npos);
    EXPECT_EQ(location.error().message.find(k_secret), std::string::npos);
  }
}

}  // namespace
}  // namespace qa::http
