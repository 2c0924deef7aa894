#include <qa/util/atomic_file.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace qa::util {
namespace {

namespace fs = std::filesystem;
using qa::test::read_text;
using qa::test::TempDir;
using qa::test::write_text;

// Set the process umask for the scope of a test, then restore it.
class UmaskGuard {
 public:
  explicit UmaskGuard(mode_t mask) : m_old(::umask(mask)) {}
  ~UmaskGuard() { ::umask(m_old); }
  UmaskGuard(const UmaskGuard&) = delete;
  UmaskGuard& operator=(const UmaskGuard&) = delete;

 private:
  mode_t m_old;
};

// Return the names of the entries of `dir`, sorted.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

unsigned permissions(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0xffffffffU;
  }
  return st.st_mode & 0777U;
}

TEST(AtomicFileTest, WriteFileAtomicCreatesParentsAndContent) {
  const TempDir dir;
  const fs::path path = dir / "a/b/c/file.txt";
  const auto written = write_file_atomic(path, "hello\nworld", Fsync::no);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(read_text(path), "hello\nworld");
  EXPECT_EQ(entries(dir / "a/b/c"), std::vector<std::string>{"file.txt"});
}

TEST(AtomicFileTest, WriteFileAtomicWithFsyncReplacesContent) {
  const TempDir dir;
  const fs::path path = dir / "file.txt";
  write_text(path, "a much longer old content");
  const auto written = write_file_atomic(path, "new", Fsync::yes);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(read_text(path), "new");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"file.txt"});
}

TEST(AtomicFileTest, WriteFileAtomicFailsWhenAFileIsInTheWayOfTheParent) {
  const TempDir dir;
  write_text(dir / "blocker", "x");
  const auto written = write_file_atomic(dir / "blocker/file.txt", "content", Fsync::no);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find((dir / "blocker").string()), std::string::npos)
      << written.error().message;
}

TEST(AtomicFileTest, CommitReplacesExistingFileOnlyAtCommit) {
  const TempDir dir;
  const fs::path path = dir / "file.txt";
  write_text(path, "old");
  auto file = AtomicFile::create(path);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->temp_path().parent_path(), dir.path());
  EXPECT_NE(file->temp_path(), path);
  ASSERT_TRUE(file->write("new "));
  ASSERT_TRUE(file->write("content"));
  EXPECT_EQ(read_text(path), "old");
  EXPECT_TRUE(fs::exists(file->temp_path()));
  const auto committed = file->commit(Fsync::no);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(read_text(path), "new content");
  EXPECT_FALSE(fs::exists(file->temp_path()));
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"file.txt"});
}

TEST(AtomicFileTest, DestroyedWithoutCommitRemovesTempAndKeepsDestination) {
  const TempDir dir;
  const fs::path path = dir / "file.txt";
  write_text(path, "old");
  fs::path temp;
  {
    auto file = AtomicFile::create(path);
    ASSERT_TRUE(file) << file.error().message;
    temp = file->temp_path();
    ASSERT_TRUE(file->write("never committed"));
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(read_text(path), "old");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"file.txt"});
}

TEST(AtomicFileTest, DestroyedWithoutCommitDoesNotCreateDestination) {
  const TempDir dir;
  {
    auto file = AtomicFile::create(dir / "file.txt");
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_TRUE(file->write("never committed"));
  }
  EXPECT_TRUE(entries(dir.path()).empty());
}

TEST(AtomicFileTest, MovedFileKeepsItsTempUntilTheNewOwnerCommits) {
  const TempDir dir;
  const fs::path path = dir / "file.txt";
  auto created = AtomicFile::create(path);
  ASSERT_TRUE(created) << created.error().message;
  std::optional<AtomicFile> owner;
  {
    AtomicFile moved_from = std::move(*created);
    owner.emplace(std::move(moved_from));
  }  // the moved-from object is destroyed here and must not remove the temp file
  EXPECT_TRUE(fs::exists(owner->temp_path()));
  ASSERT_TRUE(owner->write("moved"));
  const auto committed = owner->commit(Fsync::no);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(read_text(path), "moved");
}

TEST(AtomicFileTest, FailedCommitReportsDestinationAndRemovesTemp) {
  const TempDir dir;
  const fs::path path = dir / "target";
  write_text(path / "inside", "a non-empty folder is in the way");
  fs::path temp;
  {
    auto file = AtomicFile::create(path);
    ASSERT_TRUE(file) << file.error().message;
    temp = file->temp_path();
    ASSERT_TRUE(file->write("content"));
    const auto committed = file->commit(Fsync::no);
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message.find("\"" + path.string() + "\""), std::string::npos)
        << committed.error().message;
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(read_text(path / "inside"), "a non-empty folder is in the way");
}

TEST(AtomicFileTest, CreateInMissingFolderIsAnErrorNamingTheFile) {
  const TempDir dir;
  const fs::path path = dir / "missing/file.txt";
  const auto file = AtomicFile::create(path);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("\"" + path.string() + "\""), std::string::npos)
      << file.error().message;
}

TEST(AtomicFileTest, CommitNoReplaceKeepsExistingDestination) {
  const TempDir dir;
  const fs::path path = dir / "blob";
  write_text(path, "first");
  auto file = AtomicFile::create(path, 0444);
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_TRUE(file->write("second"));
  const auto committed = file->commit_no_replace(Fsync::yes);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(read_text(path), "first");
  EXPECT_FALSE(fs::exists(file->temp_path()));
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"blob"});
}

TEST(AtomicFileTest, CommitNoReplaceCreatesMissingDestination) {
  const TempDir dir;
  const fs::path path = dir / "blob";
  auto file = AtomicFile::create(path);
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_TRUE(file->write("content"));
  const auto committed = file->commit_no_replace(Fsync::no);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(read_text(path), "content");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"blob"});
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1U);  // the temporary name is gone, not just hidden
}

TEST(AtomicFileTest, WriteFromCopiesAWholeFileDescriptor) {
  const TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 200'000; ++i) {
    content += "line " + std::to_string(i) + "\n";
  }
  write_text(dir / "source", content);
  const int source = ::open((dir / "source").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(source, 0);
  auto file = AtomicFile::create(dir / "copy");
  ASSERT_TRUE(file) << file.error().message;
  const auto copied = file->write_from(source);
  ::close(source);
  ASSERT_TRUE(copied) << copied.error().message;
  ASSERT_TRUE(file->commit(Fsync::no));
  EXPECT_EQ(read_text(dir / "copy"), content);
}

TEST(AtomicFileTest, ModeIsHonoured) {
  const UmaskGuard umask_guard(022);
  const TempDir dir;
  ASSERT_TRUE(write_file_atomic(dir / "blob", "x", Fsync::no, 0444));
  EXPECT_EQ(permissions(dir / "blob"), 0444U);
  ASSERT_TRUE(write_file_atomic(dir / "default", "x", Fsync::no));
  EXPECT_EQ(permissions(dir / "default"), 0644U);
  ASSERT_TRUE(write_file_atomic(dir / "private", "x", Fsync::no, 0600));
  EXPECT_EQ(permissions(dir / "private"), 0600U);
  ASSERT_TRUE(write_file_atomic(dir / "script", "x", Fsync::no, 0755));
  EXPECT_EQ(permissions(dir / "script"), 0755U);
}

TEST(AtomicFileTest, ReadOnlyModeStillAllowsWritingTheContent) {
  // The temporary file is opened for writing before its mode applies: a 0444 blob gets its bytes.
  const UmaskGuard umask_guard(022);
  const TempDir dir;
  auto file = AtomicFile::create(dir / "blob", 0444);
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_TRUE(file->write("blob content"));
  ASSERT_TRUE(file->commit_no_replace(Fsync::no));
  EXPECT_EQ(read_text(dir / "blob"), "blob content");
  EXPECT_EQ(permissions(dir / "blob"), 0444U);
}

TEST(AtomicFileTest, ReplacingReadOnlyFileWorks) {
  const UmaskGuard umask_guard(022);
  const TempDir dir;
  ASSERT_TRUE(write_file_atomic(dir / "file", "old", Fsync::no, 0444));
  ASSERT_TRUE(write_file_atomic(dir / "file", "new", Fsync::no, 0644));
  EXPECT_EQ(read_text(dir / "file"), "new");
  EXPECT_EQ(permissions(dir / "file"), 0644U);
}

TEST(AtomicFileTest, FsyncDirOnMissingFolderIsAnErrorNamingIt) {
  const TempDir dir;
  ASSERT_TRUE(fsync_dir(dir.path()));
  const auto synced = fsync_dir(dir / "missing");
  ASSERT_FALSE(synced);
  EXPECT_NE(synced.error().message.find((dir / "missing").string()), std::string::npos)
      << synced.error().message;
}

}  // namespace
}  // namespace qa::util
