// qa-store on remote stores: nginx WebDAV with JSON listings (sizes and times), DELETE; an S3
// server (s3rver) with ListObjectsV2 and DELETE.
#include <gtest/gtest.h>

#include "support/http_servers.hpp"
#include "support/remote_store_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_token = "qa-store-t0ken";

class QaStoreHttp : public RemoteStoreTest {
 protected:
  ProcessResult on(const std::string& url, const std::string& tool, std::vector<std::string> args) {
    return on_machine(1, tool, std::move(args), {{"QA_STORE", url}, {"QA_STORE_TOKEN", k_token}});
  }
};

TEST_F(QaStoreHttp, VerifyGcAndStatsOverNginx) {
  NginxServer nginx(m_tmp / "nginx", k_token);
  ASSERT_TRUE(nginx.running());
  const std::string url = nginx.url("qa");
  m_repo->commit_all("A");
  ASSERT_EQ(on(url, "qa-batch", {"all"}).exit_code, 0);  // main: its branch index
  m_repo->git("checkout -q --detach");
  write_text(m_project / "level.txt", "2\n");
  const std::string b = m_repo->commit_all("B");
  ASSERT_EQ(on(url, "qa-batch", {"all"}).exit_code, 0);

  const auto verified = on(url, "qa-store", {"verify"});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verified: 4 records of 2 commits"), std::string::npos)
      << verified.out;

  const auto stats = on(url, "qa-store", {"stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  const auto figures = json::parse(stats.out);
  EXPECT_EQ(figures["commits"], 2);
  EXPECT_EQ(figures["records"], 4);
  EXPECT_GT(figures["dedup_ratio"].get<double>(), 1.0);  // big.bin once for four runs

  // Nothing is old on the server: --keep-days 0 and no grace remove B (no branch names it).
  const auto gc = on(url, "qa-store", {"gc", "--keep-days", "0", "--grace", "0s"});
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find("removed commit " + b), std::string::npos) << gc.out;
  EXPECT_GT(nginx.count("DELETE", "/qa/cas/"), 0U);
  // WebDAV DELETE leaves the folders: no file is left in them.
  EXPECT_EQ(all_files(nginx.data() / "qa/acme/shared/commits" / b.substr(0, 2) / b.substr(2)), "");
  EXPECT_EQ(on(url, "qa-store", {"verify"}).exit_code, 0);

  // A blob changed on the server is found, read past the local blob cache.
  for (const auto& entry : fs::recursive_directory_iterator(nginx.data() / "qa" / "cas")) {
    if (entry.is_regular_file() && fs::file_size(entry.path()) == 300000) {
      fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
      write_text(entry.path(), std::string(300000, 'z'));
    }
  }
  const auto corrupt = on(url, "qa-store", {"verify"});
  EXPECT_EQ(corrupt.exit_code, 1) << corrupt.out << corrupt.err;
  EXPECT_NE(corrupt.out.find("corrupt blob "), std::string::npos) << corrupt.out;
  EXPECT_EQ(m_printed.find(k_token), std::string::npos);
}

TEST_F(QaStoreHttp, VerifyGcAndStatsOverS3) {
  ASSERT_TRUE(shared_s3rver().running());
  // A prefix of its own in the bucket the other S3 tests share.
  const std::map<std::string, std::string> env{
      {"QA_STORE", std::string("s3://") + k_s3_bucket + "/qa-store"},
      {"AWS_ACCESS_KEY_ID", "S3RVER"},
      {"AWS_SECRET_ACCESS_KEY", "qa-store-s3-secret"},
      {"AWS_REGION", "us-east-1"},
      {"AWS_ENDPOINT_URL", shared_s3rver().url("")}};
  const auto on_s3 = [&](const std::string& tool, std::vector<std::string> args) {
    return on_machine(1, tool, std::move(args), env);
  };
  m_repo->commit_all("A");
  ASSERT_EQ(on_s3("qa-batch", {"all"}).exit_code, 0);  // main: its branch index
  m_repo->git("checkout -q --detach");
  write_text(m_project / "level.txt", "2\n");
  const std::string b = m_repo->commit_all("B");
  ASSERT_EQ(on_s3("qa-batch", {"all"}).exit_code, 0);

  const auto verified = on_s3("qa-store", {"verify"});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("verified: 4 records of 2 commits"), std::string::npos)
      << verified.out;
  const auto stats = on_s3("qa-store", {"stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(json::parse(stats.out)["records"], 4);

  const auto gc = on_s3("qa-store", {"gc", "--keep-days", "0", "--grace", "0s"});
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_NE(gc.out.find("removed commit " + b), std::string::npos) << gc.out;
  const auto after = on_s3("qa-store", {"verify"});
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_NE(after.out.find("verified: 2 records of 1 commit,"), std::string::npos) << after.out;

  // A blob changed on the server is found, read past the local blob cache.
  std::size_t changed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(shared_s3rver().data())) {
    const std::string path = entry.path().string();
    if (entry.is_regular_file() && path.find("qa-store/cas/") != std::string::npos &&
        fs::file_size(entry.path()) == 300000) {
      fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
      write_text(entry.path(), std::string(300000, 'z'));
      ++changed;
    }
  }
  ASSERT_GT(changed, 0U) << all_files(shared_s3rver().data());
  const auto corrupt = on_s3("qa-store", {"verify"});
  EXPECT_EQ(corrupt.exit_code, 1) << corrupt.out << corrupt.err;
  EXPECT_NE(corrupt.out.find("corrupt blob "), std::string::npos) << corrupt.out;
  EXPECT_EQ(m_printed.find("qa-store-s3-secret"), std::string::npos);
}

TEST_F(QaStoreHttp, AnUnreachableStoreIsAnEnvironmentError) {
  const auto result = on("http://127.0.0.1:9/qa", "qa-store", {"stats"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("qa-store: error: "), std::string::npos) << result.err;
}

}  // namespace
}  // namespace qa::test
