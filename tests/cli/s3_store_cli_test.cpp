// The s3:// store through the built tools: two clones (their own HOME and cache) sharing one
// bucket prefix of a real S3 server (s3rver), read back by a standard S3 client (npm minio), and
// no secret anywhere. The transfer faults are those of the http store (tests/http/).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <qa/util/hash.hpp>

#include "support/http_servers.hpp"
#include "support/remote_store_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_secret = "qa-s3-secret-9f1c2e";
constexpr const char* k_prefix = "team/qa";

class S3Store : public RemoteStoreTest {
 protected:
  // The AWS variables of the store on shared_s3rver().
  static std::map<std::string, std::string> aws_env() {
    return {{"AWS_ACCESS_KEY_ID", "S3RVER"},
            {"AWS_SECRET_ACCESS_KEY", k_secret},
            {"AWS_REGION", "us-east-1"},
            {"AWS_ENDPOINT_URL", shared_s3rver().url("")}};
  }

  // Run `tool` on "machine" `machine` (on_machine()) with the s3 store.
  ProcessResult on(int machine, const std::string& tool, std::vector<std::string> args,
                   std::map<std::string, std::string> env = {}) {
    env["QA_STORE"] = std::string("s3://") + k_s3_bucket + "/" + k_prefix;
    for (const auto& [name, value] : aws_env()) {
      env.emplace(name, value);
    }
    return on_machine(machine, tool, std::move(args), std::move(env));
  }
};

TEST_F(S3Store, TwoClonesShareOneBucketPrefix) {
  ASSERT_TRUE(shared_s3rver().running());
  const std::string a = m_repo->commit_all("A");
  auto batch = on(1, "qa-batch", {"all", "-j", "1"});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_NE(m_printed.find("debug: PUT "), std::string::npos) << "-v logs the requests";

  // Machine 2: a clone at commit B (same outputs), its own HOME and cache.
  sh("git clone -q '" + m_project.string() + "' clone", m_tmp.path());
  GitRepo clone(m_tmp / "clone");
  write_text(m_tmp / "clone" / "notes", "B");
  clone.commit_all("B");
  ASSERT_EQ(on(2, "qa-batch", {"all"}).exit_code, 0);
  const auto bitacc = on(2, "qa-bitacc", {"all", "--reference", a});
  EXPECT_EQ(bitacc.exit_code, 0) << bitacc.out << bitacc.err;

  // All runs listed without naming the batch (ListObjectsV2).
  const auto runs = on(2, "qa-get", {"runs", "--commit", a});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(std::count(runs.out.begin(), runs.out.end(), '\n'), 2) << runs.out;

  // qa-get reproduces A's outputs byte for byte.
  const fs::path d = m_tmp / "fetched";
  const auto get = on(2, "qa-get", {"--input", "b.in", "--reference", a, "--to", d.string()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  const fs::path produced = m_project / "output" / "default" / "default" / "b.in";
  EXPECT_EQ(read_text(d / "out.txt"), read_text(produced / "out.txt"));
  EXPECT_EQ(read_text(d / "big.bin"), read_text(produced / "big.bin"));
  EXPECT_EQ(read_text(d / "big.bin").size(), 300000U);

  // One output differs at C: exit 1.
  write_text(m_tmp / "clone" / "data" / "b.in", "B\n");
  clone.commit_all("C");
  ASSERT_EQ(on(2, "qa-batch", {"all"}).exit_code, 0);
  EXPECT_EQ(on(2, "qa-bitacc", {"all", "--reference", a}).exit_code, 1);

  // A standard S3 client lists and reads what was stored: blobs that hash to their names, and
  // A's two records.
  const fs::path read_back = m_tmp / "minio";
  const auto minio = minio_read(shared_s3rver().url(""), k_s3_bucket, k_prefix, read_back,
                                clean_environment(m_tmp / "minio-home", aws_env()));
  ASSERT_EQ(minio.exit_code, 0) << minio.err;
  std::istringstream keys(minio.out);
  std::size_t blobs = 0;
  std::size_t records_of_a = 0;
  for (std::string key; std::getline(keys, key);) {
    if (key.starts_with("cas/")) {
      const auto hashed = util::hash_file(read_back / key);
      ASSERT_TRUE(hashed) << key;
      EXPECT_EQ("cas/" + hashed->hash.hex().substr(0, 2) + "/" + hashed->hash.hex().substr(2), key);
      ++blobs;
    } else if (key.find("/commits/" + a.substr(0, 2) + "/" + a.substr(2) + "/") !=
                   std::string::npos &&
               key.ends_with("/run.json")) {
      EXPECT_NE(read_text(read_back / key).find("\"qa.run/1\""), std::string::npos);
      ++records_of_a;
    }
  }
  EXPECT_GE(blobs, 5U) << minio.out;
  EXPECT_EQ(records_of_a, 2U) << minio.out;

  // The secret is nowhere: outputs, records, caches, the server's files and log, anything
  // printed.
  EXPECT_EQ(m_printed.find(k_secret), std::string::npos);
  for (const fs::path& dir :
       {shared_s3rver().data(), shared_s3rver().data().parent_path(), m_project / "output",
        m_tmp / "clone" / "output", m_tmp / "machine1", m_tmp / "machine2", d}) {
    EXPECT_EQ(all_files(dir).find(k_secret), std::string::npos) << dir;
  }
}

TEST_F(S3Store, MissingCredentialsAreExit2NamingTheVariables) {
  m_repo->commit_all("A");
  const auto run = on(1, "qa-run", {"--input", "a.in"}, {{"AWS_SECRET_ACCESS_KEY", ""}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos)
      << run.err;
  std::istringstream lines(run.err);
  std::size_t errors = 0;
  for (std::string line; std::getline(lines, line);) {
    errors += line.find("error:") != std::string::npos ? 1U : 0U;
  }
  EXPECT_EQ(errors, 1U) << run.err;
}

}  // namespace
}  // namespace qa::test
