#include <qa/store/local_backend.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include <qa/util/hash.hpp>

#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

class LocalBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalBackend> open() {
    auto backend = LocalBackend::open(m_tmp / "store");
    EXPECT_TRUE(backend) << backend.error().message;
    return std::move(*backend);
  }

  util::FileHash write(const std::string& name, const std::string& content) {
    test::write_text(m_tmp / name, content);
    return *util::hash_file(m_tmp / name);
  }

  test::TempDir m_tmp;
};

TEST_F(LocalBackendTest, BlobIsAReadOnlyCopyFoundAgain) {
  auto backend = open();
  const auto digest = write("out.png", "pixels");
  EXPECT_FALSE(*backend->has_blob(digest.hash));
  ASSERT_TRUE(backend->put_blob(digest.hash, m_tmp / "out.png", digest.size));
  EXPECT_TRUE(*backend->has_blob(digest.hash));
  const fs::path blob = backend->blob_path(digest.hash);
  EXPECT_EQ(blob,
            m_tmp / "store" / "cas" / digest.hash.hex().substr(0, 2) / digest.hash.hex().substr(2));
  struct stat blob_stat {};
  struct stat source_stat {};
  ASSERT_EQ(::stat(blob.c_str(), &blob_stat), 0);
  ASSERT_EQ(::stat((m_tmp / "out.png").c_str(), &source_stat), 0);
  EXPECT_NE(blob_stat.st_ino, source_stat.st_ino) << "never a hard link";
  EXPECT_EQ(blob_stat.st_nlink, 1U);
  EXPECT_EQ(blob_stat.st_mode & 0777, 0444U);
  EXPECT_EQ(source_stat.st_mode & 0777, 0644U) << "the source's mode is left alone";
  EXPECT_EQ(test::read_text(blob), "pixels");
}

TEST_F(LocalBackendTest, WritingTheSourceAfterwardsLeavesTheBlobAlone) {
  auto backend = open();
  const auto digest = write("out.png", "pixels");
  ASSERT_TRUE(backend->put_blob(digest.hash, m_tmp / "out.png", digest.size));
  {
    std::ofstream append(m_tmp / "out.png", std::ios::app);
    append << " and more";
  }
  EXPECT_EQ(test::read_text(backend->blob_path(digest.hash)), "pixels");
}

TEST_F(LocalBackendTest, SymbolicLinkSourceIsRefusedNotFollowed) {
  auto backend = open();
  const auto digest = write("secret", "private key");
  fs::create_symlink(m_tmp / "secret", m_tmp / "out.png");
  const auto result = backend->put_blob(digest.hash, m_tmp / "out.png", digest.size);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("symbolic link"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(*backend->has_blob(digest.hash));
}

TEST_F(LocalBackendTest, FifoSourceIsRefusedWithoutBlocking) {
  auto backend = open();
  ASSERT_EQ(::mkfifo((m_tmp / "pipe").c_str(), 0644), 0);
  const auto result = backend->put_blob(util::hash_bytes(""), m_tmp / "pipe", 0);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not a regular file"), std::string::npos)
      << result.error().message;
}

TEST_F(LocalBackendTest, SourceRewrittenWithTheSameSizeIsRefused) {
  auto backend = open();
  const auto digest = write("a", "content");
  write("a", "CONTENT");
  const auto result = backend->put_blob(digest.hash, m_tmp / "a", digest.size);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("changed while it was recorded"), std::string::npos);
  EXPECT_FALSE(*backend->has_blob(digest.hash));
  EXPECT_TRUE(fs::is_empty(backend->blob_path(digest.hash).parent_path()))
      << "no temporary file left";
}

TEST_F(LocalBackendTest, ExistingBlobIsNeverOverwritten) {
  auto backend = open();
  const auto digest = write("a", "content");
  ASSERT_TRUE(backend->put_blob(digest.hash, m_tmp / "a", digest.size));
  struct stat before {};
  ASSERT_EQ(::stat(backend->blob_path(digest.hash).c_str(), &before), 0);
  write("b", "content");
  ASSERT_TRUE(backend->put_blob(digest.hash, m_tmp / "b", digest.size));
  struct stat after {};
  ASSERT_EQ(::stat(backend->blob_path(digest.hash).c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
}

TEST_F(LocalBackendTest, StoringAnExistingBlobAgainRefreshesItsTime) {
  auto backend = open();
  const auto digest = write("a", "content");
  ASSERT_TRUE(backend->put_blobs({BlobUpload{digest.hash, m_tmp / "a", digest.size}}));
  const fs::path blob = backend->blob_path(digest.hash);
  const struct timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, blob.c_str(), old_times, 0), 0);
  write("b", "content");
  ASSERT_TRUE(backend->put_blobs({BlobUpload{digest.hash, m_tmp / "b", digest.size}}));
  struct stat after {};
  ASSERT_EQ(::stat(blob.c_str(), &after), 0);
  EXPECT_GT(after.st_mtim.tv_sec, 1000000000) << "a reused blob is young again (gc's grace)";
  EXPECT_EQ(after.st_mode & 0777, 0444U);
}

TEST_F(LocalBackendTest, SourceThatChangedSizeIsRefused) {
  auto backend = open();
  const auto digest = write("a", "content");
  write("a", "content grew meanwhile");
  const auto result = backend->put_blob(digest.hash, m_tmp / "a", digest.size);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("changed while it was recorded"), std::string::npos);
  EXPECT_FALSE(*backend->has_blob(digest.hash));
}

TEST_F(LocalBackendTest, GetBlobVerifiesTheContent) {
  auto backend = open();
  const auto digest = write("a", "original");
  ASSERT_TRUE(backend->put_blob(digest.hash, m_tmp / "a", digest.size));
  ASSERT_TRUE(backend->get_blob(digest.hash, m_tmp / "fetched" / "a"));
  EXPECT_EQ(test::read_text(m_tmp / "fetched" / "a"), "original");

  // Someone damaged the store: the copy is refused and not left behind.
  const fs::path blob = backend->blob_path(digest.hash);
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  test::write_text(blob, "damaged!");
  const auto result = backend->get_blob(digest.hash, m_tmp / "again");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("corrupt"), std::string::npos);
  EXPECT_FALSE(fs::exists(m_tmp / "again"));
}

TEST_F(LocalBackendTest, MissingBlobIsAnError) {
  auto backend = open();
  const auto result = backend->get_blob(util::hash_bytes("nothing"), m_tmp / "x");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("missing"), std::string::npos);
}

TEST_F(LocalBackendTest, DocumentsRoundTripAndList) {
  auto backend = open();
  EXPECT_FALSE(backend->get_document("p/commits/ab/cd/k/run.json")->has_value());
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{}\n"));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/l/run.json", "{\"a\": 1}\n"));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/l/run.json", "{\"a\": 2}\n"));
  EXPECT_EQ(**backend->get_document("p/commits/ab/cd/l/run.json"), "{\"a\": 2}\n");
  const auto listed = backend->list_documents("p/commits/ab/cd");
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, (std::vector<std::string>{"k/run.json", "l/run.json"}));
  EXPECT_TRUE(backend->list_documents("p/commits/zz")->empty());
}

TEST_F(LocalBackendTest, ListObjectsGivesSizesAndTimesSorted) {
  auto backend = open();
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto blob = write("out.png", "pixels");
  ASSERT_TRUE(backend->put_blob(blob.hash, m_tmp / "out.png", blob.size));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/l/run.json", "{\"a\": 1}\n"));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{}\n"));
  ASSERT_TRUE(backend->put_document("p/branches/main.json", "{}"));
  // Neither a write in progress nor a symbolic link is an object.
  test::write_text(m_tmp / "store" / "p" / "commits" / "ab" / ".tmp.run.json.x1", "partial");
  fs::create_symlink(m_tmp / "out.png", m_tmp / "store" / "p" / "commits" / "ab" / "link");

  const auto listed = backend->list_objects("p/commits");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].path, "ab/cd/k/run.json");
  EXPECT_EQ((*listed)[0].size, 3U);
  EXPECT_EQ((*listed)[1].path, "ab/cd/l/run.json");
  EXPECT_EQ((*listed)[1].size, 9U);
  const auto after = std::chrono::system_clock::now();
  for (const auto& object : *listed) {
    EXPECT_GE(object.modified, before) << object.path;
    EXPECT_LE(object.modified, after) << object.path;
  }

  const auto blobs = backend->list_objects("cas");
  ASSERT_TRUE(blobs) << blobs.error().message;
  ASSERT_EQ(blobs->size(), 1U);
  EXPECT_EQ("cas/" + (*blobs)[0].path, blob_rel_path(blob.hash));
  EXPECT_EQ((*blobs)[0].size, 6U);

  // Times come from the files' mtime, to the second.
  const fs::path record = m_tmp / "store" / "p" / "branches" / "main.json";
  const timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 999999999}};
  ASSERT_EQ(::utimensat(AT_FDCWD, record.c_str(), times, 0), 0);
  const auto branches = backend->list_objects("p/branches");
  ASSERT_TRUE(branches) << branches.error().message;
  ASSERT_EQ(branches->size(), 1U);
  EXPECT_EQ((*branches)[0].modified,
            std::chrono::system_clock::time_point(std::chrono::seconds(1000000000)));

  EXPECT_TRUE(backend->list_objects("p/none")->empty());
  EXPECT_FALSE(backend->list_objects("../x"));
}

TEST_F(LocalBackendTest, RemoveObjectRemovesDocumentsAndBlobsAndAcceptsAbsentOnes) {
  auto backend = open();
  const auto blob = write("out.png", "pixels");
  ASSERT_TRUE(backend->put_blob(blob.hash, m_tmp / "out.png", blob.size));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{}"));
  ASSERT_TRUE(backend->put_document("p/commits/ab/ef/k/run.json", "{}"));

  const auto removed = backend->remove_object("p/commits/ab/cd/k/run.json");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(backend->get_document("p/commits/ab/cd/k/run.json")->has_value());
  // The folders it leaves empty go, up to the first one that still holds something.
  EXPECT_FALSE(fs::exists(m_tmp / "store" / "p" / "commits" / "ab" / "cd"));
  EXPECT_TRUE(fs::exists(m_tmp / "store" / "p" / "commits" / "ab" / "ef" / "k" / "run.json"));
  ASSERT_TRUE(backend->remove_object("p/commits/ab/ef/k/run.json"));
  EXPECT_FALSE(fs::exists(m_tmp / "store" / "p"));
  EXPECT_TRUE(fs::is_directory(m_tmp / "store")) << "never the store's own folder";

  ASSERT_TRUE(backend->remove_object(blob_rel_path(blob.hash)));
  EXPECT_FALSE(*backend->has_blob(blob.hash));
  EXPECT_EQ(*backend->check_blob(blob.hash), BlobState::missing);

  EXPECT_TRUE(backend->remove_object(blob_rel_path(blob.hash))) << "already gone";
  EXPECT_TRUE(backend->remove_object("p/never/was.json"));
  EXPECT_FALSE(backend->remove_object("../outside"));
}

TEST_F(LocalBackendTest, CheckBlobHashesTheBlobWhereItLies) {
  auto backend = open();
  const auto blob = write("out.png", "pixels");
  ASSERT_TRUE(backend->put_blob(blob.hash, m_tmp / "out.png", blob.size));
  const auto intact = backend->check_blob(blob.hash);
  ASSERT_TRUE(intact) << intact.error().message;
  EXPECT_EQ(*intact, BlobState::intact);
  EXPECT_EQ(*backend->check_blob(util::hash_bytes("never stored")), BlobState::missing);

  // One byte flipped, the size unchanged.
  const fs::path path = backend->blob_path(blob.hash);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  test::write_text(path, "pixelz");
  EXPECT_EQ(*backend->check_blob(blob.hash), BlobState::corrupt);
  const auto batch = backend->check_blobs({blob.hash, util::hash_bytes("never stored")});
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(*batch, (std::vector<BlobState>{BlobState::corrupt, BlobState::missing}));
}

TEST_F(LocalBackendTest, DocumentsSyncedOnFlushAreVisibleAtOnceAndWholly) {
  auto backend = open();
  backend->set_document_sync(DocumentSync::on_flush);
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{\"a\": 1}\n"));
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{\"a\": 2}\n"));
  EXPECT_EQ(**backend->get_document("p/commits/ab/cd/k/run.json"), "{\"a\": 2}\n");
  // Renamed into place as ever: no temporary file is left beside the record.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(m_tmp / "store/p/commits/ab/cd/k")) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"run.json"}));
  const auto blob = write("out.txt", "output");
  ASSERT_TRUE(backend->put_blob(blob.hash, m_tmp / "out.txt", blob.size));
  const auto flushed = backend->flush();
  EXPECT_TRUE(flushed) << flushed.error().message;
  backend->set_document_sync(DocumentSync::each_write);
  ASSERT_TRUE(backend->put_document("p/commits/ab/cd/k/run.json", "{\"a\": 3}\n"));
  EXPECT_EQ(**backend->get_document("p/commits/ab/cd/k/run.json"), "{\"a\": 3}\n");
  EXPECT_TRUE(backend->flush());
}

TEST_F(LocalBackendTest, DocumentPathsCannotEscapeTheStore) {
  auto backend = open();
  EXPECT_FALSE(backend->put_document("../outside.json", "{}"));
  EXPECT_FALSE(backend->put_document("/etc/passwd", "{}"));
  EXPECT_FALSE(backend->get_document("a/../../b"));
  EXPECT_FALSE(fs::exists(m_tmp / "outside.json"));
}

TEST_F(LocalBackendTest, AFileInPlaceOfTheStoreIsAnError) {
  test::write_text(m_tmp / "store", "not a folder");
  const auto backend = LocalBackend::open(m_tmp / "store");
  ASSERT_FALSE(backend);
  EXPECT_NE(backend.error().message.find("cannot use store"), std::string::npos);
  EXPECT_NE(backend.error().message.find((m_tmp / "store").string()), std::string::npos);
}

TEST_F(LocalBackendTest, TheWhyOfAFailedCreationIsKeptWhole) {
  test::write_text(m_tmp / "file", "in the way");
  const auto backend = LocalBackend::open(m_tmp / "file" / "store");
  ASSERT_FALSE(backend);
  EXPECT_EQ(backend.error().message,
            "cannot use store \"" + (m_tmp / "file" / "store").string() + "\": Not a directory");
  EXPECT_EQ(backend.error().kind, ErrorKind::environment);
}

TEST_F(LocalBackendTest, AnOversizedDocumentIsRefusedBeforeItIsRead) {
  auto backend = open();
  const fs::path huge = m_tmp / "store" / "p" / "commits" / "run.json";
  fs::create_directories(huge.parent_path());
  test::write_text(huge, "{}");
  fs::resize_file(huge, k_max_document_bytes + 1);  // sparse: no disk is used
  const auto read = backend->get_document("p/commits/run.json");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("more than a document of the store may hold"),
            std::string::npos)
      << read.error().message;
}

TEST_F(LocalBackendTest, ReadOnlyOpeningCreatesNothingAndNeedsNoWriteAccess) {
  const auto missing = LocalBackend::open(m_tmp / "missing", Access::read_only);
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(*(*missing)->has_blob(util::hash_bytes("x")));
  EXPECT_TRUE((*missing)->list_documents("p/commits")->empty());
  EXPECT_FALSE((*missing)->get_document("p/branches/main.json")->has_value());
  EXPECT_FALSE(fs::exists(m_tmp / "missing"));

  test::write_text(m_tmp / "file", "not a folder");
  const auto file = LocalBackend::open(m_tmp / "file", Access::read_only);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("not a folder"), std::string::npos);

  ASSERT_TRUE(LocalBackend::open(m_tmp / "store"));
  fs::permissions(m_tmp / "store", fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_TRUE(LocalBackend::open(m_tmp / "store", Access::read_only));
  fs::permissions(m_tmp / "store", fs::perms::owner_all);
}

TEST_F(LocalBackendTest, ConcurrentWritersOfTheSameBlobsAllSucceed) {
  std::vector<util::FileHash> digests;
  for (int i = 0; i < 50; ++i) {
    digests.push_back(write("src" + std::to_string(i), "content " + std::to_string(i)));
  }
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      auto backend = LocalBackend::open(m_tmp / "store");
      for (int i = 0; i < 50; ++i) {
        if (!(*backend)->put_blob(digests[static_cast<std::size_t>(i)].hash,
                                  m_tmp / ("src" + std::to_string(i)),
                                  digests[static_cast<std::size_t>(i)].size)) {
          ++failures;
        }
      }
    });
  }
  for (auto& writer : writers) {
    writer.join();
  }
  EXPECT_EQ(failures, 0);
  auto backend = open();
  for (int i = 0; i < 50; ++i) {
    const auto& digest = digests[static_cast<std::size_t>(i)];
    EXPECT_EQ(util::hash_file(backend->blob_path(digest.hash))->hash, digest.hash);
  }
  for (const auto& entry : fs::recursive_directory_iterator(m_tmp / "store")) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".tmp.")) << entry.path();
  }
}

}  // namespace
}  // namespace qa::store
