// The http backend in-process, against a real nginx WebDAV server and the fault server.
#include <qa/http/http_backend.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>

#include <qa/core/run_record.hpp>
#include <qa/store/store.hpp>
#include <qa/util/hash.hpp>

#include "support/http_servers.hpp"
#include "support/temp_dir.hpp"

namespace qa::http {
namespace {

namespace fs = std::filesystem;
using qa::test::FaultServer;
using qa::test::NginxServer;
using qa::test::read_text;
using qa::test::TempDir;
using qa::test::write_text;

class HttpBackendTest : public ::testing::Test {
 protected:
  // Settings for `url` with short retry delays and timeouts, and a cache in the test's folder.
  Settings settings_for(const std::string& url) const {
    Settings settings;
    settings.base_url = url;
    settings.retries = 3;
    settings.backoff_s = 0.02;
    settings.timeout_s = 2;
    settings.blob_cache = m_tmp / "cache";
    return settings;
  }

  // Write `content` to `name` under the test's folder; return its upload.
  store::BlobUpload file(const std::string& name, const std::string& content) const {
    write_text(m_tmp / "files" / name, content);
    return store::BlobUpload{util::hash_bytes(content), m_tmp / "files" / name, content.size()};
  }

  // Put `content` directly in the server folder `data`, as the blob of its hash.
  static util::Hash128 seed_blob(const fs::path& data, const std::string& content) {
    const auto hash = util::hash_bytes(content);
    write_text(data / "store" / HttpBackend::blob_path(hash), content);
    return hash;
  }

  [[nodiscard]] std::size_t cached_blobs() const {
    std::size_t count = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(m_tmp / "cache", ec);
         it != fs::recursive_directory_iterator(); ++it) {
      count += it->is_regular_file() ? 1U : 0U;
    }
    return count;
  }

  TempDir m_tmp;
};

TEST_F(HttpBackendTest, NginxRoundTripUploadsOnceAndDownloadsOnce) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  HttpBackend backend(settings_for(nginx.url()));
  std::vector<store::BlobUpload> uploads;
  std::vector<store::BlobDownload> downloads;
  for (int i = 0; i < 20; ++i) {
    const std::string name = "f" + std::to_string(i);
    uploads.push_back(file(
        name, std::string(static_cast<std::size_t>(1000 + i * 5000), 'a' + static_cast<char>(i))));
    downloads.push_back(
        store::BlobDownload{uploads.back().hash, m_tmp / "out" / "sub" / name, std::nullopt});
  }
  uploads.push_back(uploads.front());  // the same blob twice travels once
  ASSERT_TRUE(backend.put_blobs(uploads));
  EXPECT_EQ(nginx.count("PUT", "/store/cas/"), 20U);
  ASSERT_TRUE(backend.put_blobs(uploads));
  EXPECT_EQ(nginx.count("PUT", "/store/cas/"), 20U) << "a stored blob is never sent again";
  EXPECT_TRUE(*backend.has_blob(uploads[3].hash));
  EXPECT_FALSE(*backend.has_blob(util::hash_bytes("absent")));

  downloads.push_back(
      store::BlobDownload{uploads[0].hash, m_tmp / "out" / "copy-of-f0", std::nullopt});
  ASSERT_TRUE(backend.get_blobs(downloads));
  for (int i = 0; i < 20; ++i) {
    const std::string name = "f" + std::to_string(i);
    EXPECT_EQ(read_text(m_tmp / "out" / "sub" / name), read_text(m_tmp / "files" / name));
  }
  EXPECT_EQ(read_text(m_tmp / "out" / "copy-of-f0"), read_text(m_tmp / "files" / "f0"));
  EXPECT_EQ(nginx.count("GET", "/store/cas/"), 20U);
  EXPECT_EQ(cached_blobs(), 20U);
  // A second fetch is served by the cache.
  ASSERT_TRUE(backend.get_blob(uploads[5].hash, m_tmp / "again"));
  EXPECT_EQ(nginx.count("GET", "/store/cas/"), 20U);
  const auto missing = backend.get_blob(util::hash_bytes("absent"), m_tmp / "absent");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing from store"), std::string::npos);
}

TEST_F(HttpBackendTest, NginxDocumentsAndListings) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  HttpBackend backend(settings_for(nginx.url()));
  EXPECT_FALSE(backend.get_document("p/branches/main.json")->has_value());
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/default/x/a/run.json", "{1}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/default/x/b/run.json", "{2}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/default/x/b/run.json", "{3}"));
  EXPECT_EQ(**backend.get_document("p/commits/ab/cd/default/x/b/run.json"), "{3}");
  const auto listed = backend.list_documents("p/commits/ab/cd");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(*listed, (std::vector<std::string>{"default/x/a/run.json", "default/x/b/run.json"}));
  EXPECT_TRUE(backend.list_documents("p/commits/zz/yy")->empty());
}

TEST_F(HttpBackendTest, NginxListsObjectsWithSizesAndTimes) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  HttpBackend backend(settings_for(nginx.url()));
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto a = file("a", "pixels");
  const auto b = file("b", std::string(70000, 'b'));
  ASSERT_TRUE(backend.put_blobs({a, b}));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/default/x/b/run.json", "{22}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/default/x/a/run.json", "{1}"));
  ASSERT_TRUE(backend.put_document("p/branches/main.json", "{}"));

  const auto listed = backend.list_objects("p/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].path, "ab/cd/default/x/a/run.json");
  EXPECT_EQ((*listed)[0].size, 3U);
  EXPECT_EQ((*listed)[1].path, "ab/cd/default/x/b/run.json");
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
  EXPECT_TRUE(std::is_sorted(blobs->begin(), blobs->end(),
                             [](const auto& x, const auto& y) { return x.path < y.path; }));

  const auto none = backend.list_objects("p/commits/zz");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(backend.list_objects("../p"));
}

TEST_F(HttpBackendTest, NginxRemovesObjectsWithDelete) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  HttpBackend backend(settings_for(nginx.url()));
  const auto a = file("a", "pixels");
  ASSERT_TRUE(backend.put_blob(a.hash, a.source, a.size));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/k/run.json", "{}"));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/l/run.json", "{}"));

  const auto removed = backend.remove_object("p/commits/ab/cd/k/run.json");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(backend.get_document("p/commits/ab/cd/k/run.json")->has_value());
  EXPECT_EQ(*backend.list_documents("p/commits"), std::vector<std::string>{"ab/cd/l/run.json"});
  const auto blob = backend.remove_object(HttpBackend::blob_path(a.hash));
  ASSERT_TRUE(blob) << blob.error().message;
  EXPECT_FALSE(*backend.has_blob(a.hash));
  EXPECT_FALSE(fs::exists(nginx.data() / "store" / HttpBackend::blob_path(a.hash)));
  EXPECT_EQ(nginx.count("DELETE", "/store/"), 2U);

  const auto again = backend.remove_object(HttpBackend::blob_path(a.hash));
  EXPECT_TRUE(again) << "already gone: " << again.error().message;
  EXPECT_TRUE(backend.remove_object("p/never/was.json"));
  EXPECT_FALSE(backend.remove_object("/p/commits"));
}

TEST_F(HttpBackendTest, CheckBlobReadsTheServerNeverTheCache) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  HttpBackend backend(settings_for(nginx.url()));
  std::vector<store::BlobUpload> uploads;
  for (int i = 0; i < 12; ++i) {
    uploads.push_back(
        file("f" + std::to_string(i), std::string(static_cast<std::size_t>(100 + i * 9000), 'k')));
  }
  ASSERT_TRUE(backend.put_blobs(uploads));
  // The blob cache holds a good copy of the first blob...
  ASSERT_TRUE(backend.get_blob(uploads[0].hash, m_tmp / "out"));
  ASSERT_EQ(cached_blobs(), 1U);
  // ...then one byte of it goes bad on the server, its size unchanged.
  const fs::path stored = nginx.data() / "store" / HttpBackend::blob_path(uploads[0].hash);
  std::string bytes = read_text(stored);
  bytes[bytes.size() / 2] = 'x';
  write_text(stored, bytes);
  nginx.clear_log();

  std::vector<util::Hash128> hashes;
  for (const auto& upload : uploads) {
    hashes.push_back(upload.hash);
  }
  hashes.push_back(util::hash_bytes("never stored"));
  const auto states = backend.check_blobs(hashes);
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), 13U);
  EXPECT_EQ(states->front(), store::BlobState::corrupt) << "found although the cache is good";
  for (std::size_t i = 1; i < 12; ++i) {
    EXPECT_EQ((*states)[i], store::BlobState::intact) << i;
  }
  EXPECT_EQ(states->back(), store::BlobState::missing);
  // Each blob from the server (a request curl retries on a reused connection counts twice).
  EXPECT_GE(nginx.count("GET", "/store/cas/"), 13U);
  EXPECT_EQ(cached_blobs(), 1U) << "a check keeps nothing";

  const auto single = backend.check_blob(uploads[0].hash);
  ASSERT_TRUE(single) << single.error().message;
  EXPECT_EQ(*single, store::BlobState::corrupt);
  EXPECT_EQ(*backend.check_blob(uploads[1].hash), store::BlobState::intact);
  EXPECT_EQ(*backend.check_blob(hashes.back()), store::BlobState::missing);
  EXPECT_TRUE(backend.check_blobs({})->empty());
}

TEST_F(HttpBackendTest, ACheckThatCannotReadTheStoreIsAnError) {
  FaultServer server(m_tmp / "fault", "401");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  const auto checked = backend.check_blob(util::hash_bytes("x"));
  ASSERT_FALSE(checked) << "an unreadable store is no missing blob";
  EXPECT_NE(checked.error().message.find("cannot GET"), std::string::npos)
      << checked.error().message;
  const auto removed = backend.remove_object("p/x.json");
  ASSERT_FALSE(removed);
  EXPECT_NE(removed.error().message.find("cannot DELETE"), std::string::npos)
      << removed.error().message;
}

TEST_F(HttpBackendTest, AServerWithoutJsonListingsCannotList) {
  FaultServer server(m_tmp / "fault", "ok");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  ASSERT_TRUE(backend.put_document("p/commits/ab/cd/k/run.json", "{}"));
  const auto listed = backend.list_documents("p/commits/ab/cd");
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("cannot list"), std::string::npos);
  EXPECT_NE(listed.error().message.find("name the batch"), std::string::npos);
}

TEST_F(HttpBackendTest, ServerErrorsAreRetried) {
  FaultServer server(m_tmp / "fault", "500-twice");
  ASSERT_TRUE(server.running());
  const auto hash = seed_blob(server.data(), "content");
  HttpBackend backend(settings_for(server.url()));
  ASSERT_TRUE(backend.get_blob(hash, m_tmp / "out"));
  EXPECT_EQ(read_text(m_tmp / "out"), "content");
  EXPECT_EQ(server.count("GET", "/cas/"), 3U);
}

TEST_F(HttpBackendTest, AConnectionResetMidBodyIsRetried) {
  FaultServer server(m_tmp / "fault", "reset-mid-body");
  ASSERT_TRUE(server.running());
  const auto hash = seed_blob(server.data(), std::string(1 << 20, 'r'));
  HttpBackend backend(settings_for(server.url()));
  const auto fetched = backend.get_blob(hash, m_tmp / "out");
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(read_text(m_tmp / "out").size(), std::size_t{1} << 20);
  EXPECT_EQ(server.count("GET", "/cas/"), 2U);
}

TEST_F(HttpBackendTest, CorruptContentIsRefusedAndNeverCached) {
  for (const std::string mode : {"truncated", "wrong-bytes"}) {
    FaultServer server(m_tmp / ("fault-" + mode), mode);
    ASSERT_TRUE(server.running());
    const auto hash = seed_blob(server.data(), std::string(4096, 'c'));
    HttpBackend backend(settings_for(server.url()));
    const auto fetched = backend.get_blob(hash, m_tmp / "out" / mode);
    ASSERT_FALSE(fetched) << mode;
    EXPECT_NE(fetched.error().message.find("corrupt"), std::string::npos)
        << fetched.error().message;
    EXPECT_FALSE(fs::exists(m_tmp / "out" / mode));
    EXPECT_EQ(cached_blobs(), 0U);
  }
}

TEST_F(HttpBackendTest, AServerThatNeverAnswersFailsWithinTheTimeout) {
  FaultServer server(m_tmp / "fault", "hang");
  ASSERT_TRUE(server.running());
  Settings settings = settings_for(server.url());
  settings.timeout_s = 1;
  settings.retries = 1;
  HttpBackend backend(settings);
  const auto start = std::chrono::steady_clock::now();
  const auto present = backend.has_blob(util::hash_bytes("x"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(present);
  EXPECT_LT(seconds, 30.0) << "the server hangs for an hour: the timeout ended the wait";
  EXPECT_NE(present.error().message.find("after 2 attempts"), std::string::npos)
      << present.error().message;
}

TEST_F(HttpBackendTest, AServerThatDripsBytesIsAbandonedWithinTheTimeout) {
  FaultServer server(m_tmp / "fault", "drip");
  ASSERT_TRUE(server.running());
  const auto hash = seed_blob(server.data(), "blob content");
  Settings settings = settings_for(server.url());
  settings.timeout_s = 1;
  settings.retries = 0;
  HttpBackend backend(settings);
  const auto start = std::chrono::steady_clock::now();
  const auto fetched = backend.get_blob(hash, m_tmp / "fetched");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(fetched);
  EXPECT_LT(seconds, 30.0) << "a 2 bytes/s drip must not hold the transfer for a minute";
  EXPECT_FALSE(fs::exists(m_tmp / "fetched")) << "nothing is kept of an abandoned download";
}

TEST_F(HttpBackendTest, AnOversizedDocumentIsRefusedWhileItArrives) {
  FaultServer server(m_tmp / "fault", "ok");
  ASSERT_TRUE(server.running());
  const fs::path huge = server.data() / "store" / "p" / "run.json";
  write_text(huge, "{}");
  fs::resize_file(huge, store::k_max_document_bytes + 4096);
  HttpBackend backend(settings_for(server.url()));
  const auto read = backend.get_document("p/run.json");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("larger than a document of the store may be"),
            std::string::npos)
      << read.error().message;
  EXPECT_EQ(server.count("GET", "/p/run.json"), 1U) << "refused, not retried";
}

TEST_F(HttpBackendTest, AFailedUploadWritesNoRecord) {
  FaultServer server(m_tmp / "fault", "put-500");
  ASSERT_TRUE(server.running());
  store::Store store(std::make_unique<HttpBackend>(settings_for(server.url())));
  write_text(m_tmp / "run" / "out.txt", "output");
  core::RunRecord record;
  record.project = "acme/x";
  record.commit = std::string(40, 'a');
  record.key = "default/default/a.in";
  record.files["out.txt"] = core::FileEntry{util::hash_bytes("output"), 6};
  const auto put = store.put_run(record, m_tmp / "run");
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("the server answered 500"), std::string::npos)
      << put.error().message;
  EXPECT_EQ(server.count("PUT", "run.json"), 0U);
  EXPECT_FALSE(fs::exists(server.data() / "store" / "acme"));
}

TEST_F(HttpBackendTest, AServerSayingYesToEveryHeadStillGetsTheBlobs) {
  FaultServer server(m_tmp / "fault", "lying-head");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  const auto upload = file("out.txt", "the output");
  ASSERT_TRUE(backend.put_blobs({upload}));
  EXPECT_EQ(server.count("PUT", "/cas/"), 1U) << "a 200 without the blob's size is no proof";
  EXPECT_EQ(read_text(server.data() / "store" / HttpBackend::blob_path(upload.hash)), "the output");
}

TEST_F(HttpBackendTest, ABodyLargerThanTheBlobIsAbandonedAtOnce) {
  FaultServer server(m_tmp / "fault", "oversized");
  ASSERT_TRUE(server.running());
  Settings settings = settings_for(server.url());
  settings.blob_cache.clear();
  HttpBackend backend(settings);
  const auto hash = util::hash_bytes("797 bytes or so");
  const auto fetched = backend.get_blobs({store::BlobDownload{hash, m_tmp / "out", 15}});
  ASSERT_FALSE(fetched);
  EXPECT_NE(fetched.error().message.find("larger than the 15 bytes its record says"),
            std::string::npos)
      << fetched.error().message;
  EXPECT_FALSE(fs::exists(m_tmp / "out"));
  EXPECT_EQ(server.count("GET", "/cas/"), 1U) << "refused, not retried";
}

TEST_F(HttpBackendTest, AListingThatLoopsIsBounded) {
  FaultServer server(m_tmp / "fault", "loop-listing", "/acme/");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  const auto listed = backend.list_documents("acme/x/commits");
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find("do its folder listings loop?"), std::string::npos)
      << listed.error().message;
  EXPECT_LE(server.count("GET", "/acme/"), 33U);
}

TEST_F(HttpBackendTest, ARedirectIsNotFollowed) {
  FaultServer server(m_tmp / "fault", "redirect", ".");
  ASSERT_TRUE(server.running());
  Settings settings = settings_for(server.url());
  settings.credentials.token = "s3cret-token";
  HttpBackend backend(settings);
  const auto read = backend.get_document("acme/x/run.json");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("302"), std::string::npos) << read.error().message;
  EXPECT_EQ(read.error().message.find("s3cret-token"), std::string::npos);
  EXPECT_EQ(server.count("GET", "run.json"), 1U);
}

TEST_F(HttpBackendTest, AFileThatChangedSinceItWasHashedIsNotUploaded) {
  FaultServer server(m_tmp / "fault", "ok");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  auto upload = file("out.txt", "original");
  write_text(upload.source, "ORIGINAL");  // same size, other bytes
  const auto put = backend.put_blobs({upload});
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("changed while it was recorded"), std::string::npos)
      << put.error().message;
  EXPECT_FALSE(fs::exists(server.data() / "store" / HttpBackend::blob_path(upload.hash)))
      << "the server got an incomplete body and kept nothing";
}

TEST_F(HttpBackendTest, ASymbolicLinkIsNeverUploaded) {
  FaultServer server(m_tmp / "fault", "ok");
  ASSERT_TRUE(server.running());
  HttpBackend backend(settings_for(server.url()));
  const auto secret = file("secret", "private key");
  fs::create_symlink(secret.source, m_tmp / "files" / "link");
  const auto put =
      backend.put_blobs({store::BlobUpload{secret.hash, m_tmp / "files" / "link", secret.size}});
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("symbolic link"), std::string::npos) << put.error().message;
  EXPECT_EQ(server.count("PUT", "/cas/"), 0U);
}

}  // namespace
}  // namespace qa::http
