// The S3 backend in-process, against a real S3 server (s3rver) and, path-style, the fault server
// of the http store: the S3 backend shares the http store's transfer client, so its faults are
// the same ones.
#include <qa/http/s3_backend.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include <qa/util/hash.hpp>

#include "support/http_servers.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::http {
namespace {

namespace fs = std::filesystem;
using qa::test::FaultServer;
using qa::test::k_s3_bucket;
using qa::test::read_text;
using qa::test::ScopedEnv;
using qa::test::shared_s3rver;
using qa::test::TempDir;
using qa::test::write_text;

constexpr const char* k_secret = "s3-secret-never-shown-42";
constexpr const char* k_session = "session-token-77";

class S3BackendTest : public ::testing::Test {
 protected:
  // The location `store` (an s3:// URL) with the endpoint `endpoint`, short retry delays and
  // timeouts, and a cache in the test's folder.
  S3Location location(const std::string& store, const std::string& endpoint,
                      const std::string& cache = "cache") const {
    const ScopedEnv endpoint_env("AWS_ENDPOINT_URL", endpoint);
    auto located = s3_location_from_environment(store);
    EXPECT_TRUE(located) << located.error().message;
    S3Location result = std::move(located).value();
    result.settings.retries = 3;
    result.settings.backoff_s = 0.02;
    result.settings.timeout_s = 2;
    result.settings.blob_cache = m_tmp / cache;
    return result;
  }

  // Write `content` to `name` under the test's folder; return its upload.
  store::BlobUpload file(const std::string& name, const std::string& content) const {
    write_text(m_tmp / "files" / name, content);
    return store::BlobUpload{util::hash_bytes(content), m_tmp / "files" / name, content.size()};
  }

  // Return the number of blobs in the cache folder `cache`.
  [[nodiscard]] static std::size_t cached_blobs(const fs::path& cache) {
    std::size_t count = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(cache, ec);
         it != fs::recursive_directory_iterator(); ++it) {
      count += it->is_regular_file() ? 1U : 0U;
    }
    return count;
  }

  TempDir m_tmp;
  ScopedEnv m_key{"AWS_ACCESS_KEY_ID", "S3RVER"};
  ScopedEnv m_secret{"AWS_SECRET_ACCESS_KEY", k_secret};
  ScopedEnv m_token{"AWS_SESSION_TOKEN"};
  ScopedEnv m_region{"AWS_REGION", "eu-west-3"};
  ScopedEnv m_default_region{"AWS_DEFAULT_REGION"};
  ScopedEnv m_endpoint{"AWS_ENDPOINT_URL_S3"};
  ScopedEnv m_cache{"QA_CACHE_DIR"};
};

TEST_F(S3BackendTest, BlobsAndDocumentsRoundTripThroughS3rver) {
  ASSERT_TRUE(shared_s3rver().running());
  S3Backend backend(location("s3://qa-bucket/round/trip", shared_s3rver().url("")));
  EXPECT_EQ(backend.describe(), "s3://qa-bucket/round/trip");
  std::vector<store::BlobUpload> uploads;
  std::vector<store::BlobDownload> downloads;
  for (int i = 0; i < 12; ++i) {
    const std::string name = "f" + std::to_string(i);
    uploads.push_back(file(
        name, std::string(static_cast<std::size_t>(100 + i * 20000), static_cast<char>('a' + i))));
    downloads.push_back(
        store::BlobDownload{uploads.back().hash, m_tmp / "out" / name, std::nullopt});
  }
  const auto absent = backend.has_blob(uploads.front().hash);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(*absent);
  const auto put = backend.put_blobs(uploads);
  ASSERT_TRUE(put) << put.error().message;
  const auto present = backend.has_blobs({uploads.front().hash, uploads.back().hash});
  ASSERT_TRUE(present) << present.error().message;
  EXPECT_EQ(*present, (std::vector<bool>{true, true}));
  const auto got = backend.get_blobs(downloads);
  ASSERT_TRUE(got) << got.error().message;
  for (std::size_t i = 0; i < uploads.size(); ++i) {
    EXPECT_EQ(read_text(downloads[i].destination), read_text(uploads[i].source));
  }

  const std::string record = R"({"schema": "qa.run/1", "key": "default/base/a =,@ é.png"})";
  const std::string rel = "acme/x/commits/ab/cdef/default/base/a =,@ é.png/run.json";
  ASSERT_TRUE(backend.put_document(rel, record));
  ASSERT_TRUE(backend.put_document("acme/x/branches/main.json", "{}"));
  const auto read = backend.get_document(rel);
  ASSERT_TRUE(read && *read) << (read ? "missing" : read.error().message);
  EXPECT_EQ(**read, record);
  const auto missing = backend.get_document("acme/x/commits/none/run.json");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  const auto listed = backend.list_documents("acme/x/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(*listed, std::vector<std::string>{"ab/cdef/default/base/a =,@ é.png/run.json"});
  const auto nothing = backend.list_documents("acme/none");
  ASSERT_TRUE(nothing) << nothing.error().message;
  EXPECT_TRUE(nothing->empty());
  // The objects are where the layout says, under the key prefix.
  EXPECT_TRUE(fs::exists(shared_s3rver().data() / k_s3_bucket / "round" / "trip" / "acme"));
}

TEST_F(S3BackendTest, ListingFollowsContinuationTokens) {
  ASSERT_TRUE(shared_s3rver().running());
  S3Backend backend(location("s3://qa-bucket/many", shared_s3rver().url("")));
  std::vector<store::BlobUpload> uploads;
  for (int i = 0; i < 1010; ++i) {
    uploads.push_back(file("m" + std::to_string(i), std::to_string(i)));
  }
  const auto put = backend.put_blobs(uploads);
  ASSERT_TRUE(put) << put.error().message;
  const auto listed = backend.list_documents("cas");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1010U) << "more than one page of 1,000 keys";
  const std::string hex = uploads.front().hash.hex();
  EXPECT_TRUE(
      std::binary_search(listed->begin(), listed->end(), hex.substr(0, 2) + "/" + hex.substr(2)));
}

TEST_F(S3BackendTest, ListObjectsGivesSizesAndTimes) {
  ASSERT_TRUE(shared_s3rver().running());
  S3Backend backend(location("s3://qa-bucket/objects/listed", shared_s3rver().url("")));
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto a = file("a", "pixels");
  const auto b = file("b", std::string(70000, 'b'));
  ASSERT_TRUE(backend.put_blobs({a, b}));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/x/b/run.json", "{22}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/x/a/run.json", "{1}"));
  ASSERT_TRUE(backend.put_document("p/commitsx/run.json", "{}"));

  const auto listed = backend.list_objects("p/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].path, "ab/cd/x/a/run.json");
  EXPECT_EQ((*listed)[0].size, 3U);
  EXPECT_EQ((*listed)[1].path, "ab/cd/x/b/run.json");
  EXPECT_EQ((*listed)[1].size, 4U);
  const auto after = std::chrono::system_clock::now();
  for (const auto& object : *listed) {
    EXPECT_GE(object.modified, before) << object.path;
    EXPECT_LE(object.modified, after) << object.path;
  }
  const auto blobs = backend.list_objects("cas");
  ASSERT_TRUE(blobs) << blobs.error().message;
  ASSERT_EQ(blobs->size(), 2U);
  std::map<std::string, std::uint64_t> sizes;
  for (const auto& blob : *blobs) {
    sizes["cas/" + blob.path] = blob.size;
    EXPECT_GE(blob.modified, before) << blob.path;
  }
  EXPECT_EQ(sizes, (std::map<std::string, std::uint64_t>{{HttpBackend::blob_path(a.hash), 6},
                                                         {HttpBackend::blob_path(b.hash), 70000}}));
  EXPECT_TRUE(backend.list_objects("p/none")->empty());
}

TEST_F(S3BackendTest, RemoveObjectDeletesKeysAndAcceptsAbsentOnes) {
  ASSERT_TRUE(shared_s3rver().running());
  S3Backend backend(location("s3://qa-bucket/objects/removed", shared_s3rver().url("")));
  const auto a = file("a", "pixels");
  ASSERT_TRUE(backend.put_blob(a.hash, a.source, a.size));
  ASSERT_TRUE(backend.put_document("p/commits/ab/k/run.json", "{}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/l/run.json", "{}"));

  const auto removed = backend.remove_object("p/commits/ab/k/run.json");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(*backend.get_document("p/commits/ab/k/run.json"));
  EXPECT_EQ(*backend.list_documents("p/commits"), std::vector<std::string>{"ab/l/run.json"});
  const auto blob = backend.remove_object(HttpBackend::blob_path(a.hash));
  ASSERT_TRUE(blob) << blob.error().message;
  EXPECT_FALSE(*backend.has_blob(a.hash));
  EXPECT_TRUE(backend.list_objects("cas")->empty());
  const auto again = backend.remove_object(HttpBackend::blob_path(a.hash));
  EXPECT_TRUE(again) << "already gone: " << again.error().message;
  EXPECT_TRUE(backend.remove_object("p/never/was.json"));
}

TEST_F(S3BackendTest, CheckBlobReadsTheBucketNeverTheCache) {
  ASSERT_TRUE(shared_s3rver().running());
  S3Backend backend(location("s3://qa-bucket/objects/checked", shared_s3rver().url("")));
  std::vector<store::BlobUpload> uploads;
  for (int i = 0; i < 6; ++i) {
    uploads.push_back(
        file("c" + std::to_string(i), std::string(static_cast<std::size_t>(50 + i * 7000), 'c')));
  }
  ASSERT_TRUE(backend.put_blobs(uploads));
  ASSERT_TRUE(backend.get_blob(uploads[0].hash, m_tmp / "out"));
  ASSERT_EQ(cached_blobs(m_tmp / "cache"), 1U) << "the cache holds a good copy";
  // s3rver keeps each object in a file `<key>._S3rver_object`: one byte of it goes bad.
  const fs::path stored = shared_s3rver().data() / k_s3_bucket / "objects" / "checked" /
                          (HttpBackend::blob_path(uploads[0].hash) + "._S3rver_object");
  ASSERT_TRUE(fs::exists(stored)) << stored;
  std::string bytes = read_text(stored);
  bytes[0] = 'x';
  write_text(stored, bytes);

  std::vector<util::Hash128> hashes;
  for (const auto& upload : uploads) {
    hashes.push_back(upload.hash);
  }
  hashes.push_back(util::hash_bytes("never stored"));
  const auto states = backend.check_blobs(hashes);
  ASSERT_TRUE(states) << states.error().message;
  EXPECT_EQ(*states,
            (std::vector<store::BlobState>{store::BlobState::corrupt, store::BlobState::intact,
                                           store::BlobState::intact, store::BlobState::intact,
                                           store::BlobState::intact, store::BlobState::intact,
                                           store::BlobState::missing}));
  EXPECT_EQ(cached_blobs(m_tmp / "cache"), 1U) << "a check keeps nothing";
  EXPECT_EQ(*backend.check_blob(uploads[0].hash), store::BlobState::corrupt);
  EXPECT_EQ(*backend.check_blob(uploads[1].hash), store::BlobState::intact);
}

TEST_F(S3BackendTest, RequestsAreSignedAndTheSecretIsNeverSent) {
  FaultServer server(m_tmp / "fault", "ok", "/cas/", k_secret);
  ASSERT_TRUE(server.running());
  const ScopedEnv token("AWS_SESSION_TOKEN", k_session);
  S3Backend backend(location("s3://qa-bucket/p", server.url("")));
  const auto upload = file("signed", "signed content");
  ASSERT_TRUE(backend.put_blob(upload.hash, upload.source, upload.size));
  ASSERT_TRUE(backend.get_blob(upload.hash, m_tmp / "out"));
  EXPECT_EQ(read_text(m_tmp / "out"), "signed content");
  const auto logged = server.logged_headers();
  ASSERT_EQ(logged.size(), 3U) << "HEAD, PUT, GET";
  for (const auto& request : logged) {
    const std::string authorization = request["headers"].value("authorization", "");
    EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=S3RVER/")) << authorization;
    EXPECT_NE(authorization.find("/eu-west-3/s3/aws4_request"), std::string::npos) << authorization;
    EXPECT_NE(authorization.find("x-amz-content-sha256"), std::string::npos) << authorization;
    EXPECT_NE(authorization.find("x-amz-security-token"), std::string::npos) << authorization;
    EXPECT_EQ(request["sigv4"], "ok") << "the signature S3 computes with the secret";
    EXPECT_EQ(request["headers"].value("x-amz-content-sha256", ""), "UNSIGNED-PAYLOAD");
    EXPECT_EQ(request["headers"].value("x-amz-security-token", ""), k_session);
    EXPECT_TRUE(request["path"].get<std::string>().starts_with("/qa-bucket/p/cas/"))
        << request["path"];
  }
  EXPECT_EQ(read_text(m_tmp / "fault" / "headers.jsonl").find(k_secret), std::string::npos);
}

TEST_F(S3BackendTest, TheHttpStoreFaultsHoldForS3) {
  const std::string content(1 << 20, 'r');
  const auto hash = util::hash_bytes(content);
  const std::string blob = "qa-bucket/p/" + HttpBackend::blob_path(hash);
  {
    FaultServer server(m_tmp / "500", "500-twice");
    ASSERT_TRUE(server.running());
    write_text(server.data() / blob, content);
    S3Backend backend(location("s3://qa-bucket/p", server.url(""), "cache-500"));
    ASSERT_TRUE(backend.get_blob(hash, m_tmp / "out-500"));
    EXPECT_EQ(read_text(m_tmp / "out-500"), content);
    EXPECT_EQ(server.count("GET", "/cas/"), 3U);
  }
  {
    FaultServer server(m_tmp / "reset", "reset-mid-body");
    ASSERT_TRUE(server.running());
    write_text(server.data() / blob, content);
    S3Backend backend(location("s3://qa-bucket/p", server.url(""), "cache-reset"));
    const auto fetched = backend.get_blob(hash, m_tmp / "out-reset");
    ASSERT_TRUE(fetched) << fetched.error().message;
    EXPECT_EQ(read_text(m_tmp / "out-reset"), content);
    EXPECT_EQ(server.count("GET", "/cas/"), 2U);
  }
  for (const std::string mode : {"truncated", "wrong-bytes"}) {
    FaultServer server(m_tmp / mode, mode);
    ASSERT_TRUE(server.running());
    write_text(server.data() / blob, content);
    S3Backend backend(location("s3://qa-bucket/p", server.url(""), "cache-" + mode));
    const auto fetched = backend.get_blob(hash, m_tmp / ("out-" + mode));
    ASSERT_FALSE(fetched) << mode;
    EXPECT_NE(fetched.error().message.find("corrupt"), std::string::npos)
        << fetched.error().message;
    EXPECT_FALSE(fs::exists(m_tmp / ("out-" + mode)));
    EXPECT_EQ(cached_blobs(m_tmp / ("cache-" + mode)), 0U) << mode << ": nothing corrupt is cached";
  }
}

TEST_F(S3BackendTest, MissingCredentialsNameTheVariables) {
  const ScopedEnv no_secret("AWS_SECRET_ACCESS_KEY");
  const auto located = s3_location_from_environment("s3://qa-bucket/p");
  ASSERT_FALSE(located);
  EXPECT_EQ(located.error().kind, ErrorKind::config);
  EXPECT_NE(located.error().message.find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
            std::string::npos)
      << located.error().message;
}

}  // namespace
}  // namespace qa::http
