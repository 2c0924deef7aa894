#include <qa/http/client.hpp>

#include <gtest/gtest.h>

namespace qa::http {
namespace {

Settings settings_with(Credentials credentials) {
  Settings settings;
  settings.base_url = "http://127.0.0.1:9/store";
  settings.credentials = std::move(credentials);
  return settings;
}

TEST(Client, UrlsAreEscapedAndCarryNoCredentials) {
  const Client client(settings_with({"tok", "u", "pw"}));
  EXPECT_EQ(client.url("acme/x/commits/ab/c d/run.json"),
            "http://127.0.0.1:9/store/acme/x/commits/ab/c%20d/run.json");
}

TEST(Client, AuthenticationFailuresNameTheVariables) {
  Request request;
  request.path = "cas/00/11";
  Response response;
  response.status = 401;
  const Client anonymous(settings_with({}));
  const std::string none = anonymous.failure(request, response);
  EXPECT_NE(none.find("QA_STORE_TOKEN"), std::string::npos) << none;
  EXPECT_NE(none.find("QA_STORE_USER"), std::string::npos) << none;
  EXPECT_NE(none.find("cannot GET \"http://127.0.0.1:9/store/cas/00/11\""), std::string::npos);

  const Client with_token(settings_with({"s3cr3t-token-xyz", "", ""}));
  const std::string refused = with_token.failure(request, response);
  EXPECT_NE(refused.find("refused the credentials of QA_STORE_TOKEN"), std::string::npos);
  EXPECT_EQ(refused.find("s3cr3t"), std::string::npos);
  response.status = 403;
  EXPECT_NE(with_token.failure(request, response).find("403 forbidden"), std::string::npos);
  response.status = 418;
  EXPECT_NE(with_token.failure(request, response).find("the server answered 418"),
            std::string::npos);
}

TEST(Client, NothingListensMeansAConnectionErrorAfterTheRetries) {
  Settings settings = settings_with({});
  settings.retries = 2;
  settings.backoff_s = 0.01;
  settings.timeout_s = 2;
  Client client(settings);
  std::vector<Request> requests{
      Request{Method::head, "cas/00/11", {}, 0, {}, nullptr, {}, {}, {}, {}}};
  const auto responses = client.perform(requests);
  ASSERT_TRUE(responses[0].error);
  EXPECT_EQ(responses[0].attempts, 3);
  EXPECT_NE(responses[0].error->message.find("after 3 attempts"), std::string::npos)
      << responses[0].error->message;
}

}  // namespace
}  // namespace qa::http
