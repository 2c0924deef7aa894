#include <qa/util/file.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::util {
namespace {

namespace fs = std::filesystem;

TEST(ReadFileTest, ReturnsTheWholeContentOrAnErrorNamingTheFile) {
  const test::TempDir tmp;
  std::string big(200000, 'x');  // more than one read
  big[123456] = '\0';
  test::write_text(tmp / "big.bin", big);
  const auto content = read_file(tmp / "big.bin");
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(*content, big);
  test::write_text(tmp / "empty", "");
  EXPECT_EQ(read_file(tmp / "empty").value_or("x"), "");

  const auto missing = read_file(tmp / "missing.txt");
  ASSERT_FALSE(missing);
  EXPECT_CONTAINS(missing.error().message,
                  "cannot read \"" + (tmp / "missing.txt").string() + "\": No such file");
  EXPECT_FALSE(read_file(tmp.path()));  // a folder
}

TEST(ReadFdTest, ReadsAPipeToItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string payload(300000, 'p');
  std::thread writer([&] {
    std::size_t done = 0;
    while (done < payload.size()) {
      const ssize_t n = ::write(fds[1], payload.data() + done, payload.size() - done);
      if (n <= 0) {
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  const auto content = read_fd(fds[0], "the pipe");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->size(), payload.size());
  EXPECT_EQ(*content, payload);

  const auto closed = read_fd(-1, "stdin");
  ASSERT_FALSE(closed);
  EXPECT_CONTAINS(closed.error().message, "cannot read stdin: ");
}

TEST(CreateDirsTest, CreatesParentsAndFailsWhenAFileIsInTheWay) {
  const test::TempDir tmp;
  ASSERT_TRUE(create_dirs(tmp / "a/b/c"));
  EXPECT_TRUE(fs::is_directory(tmp / "a/b/c"));
  EXPECT_TRUE(create_dirs(tmp / "a/b/c"));  // existing: fine
  test::write_text(tmp / "file", "x");
  const auto blocked = create_dirs(tmp / "file");
  ASSERT_FALSE(blocked);
  EXPECT_CONTAINS(blocked.error().message, "cannot create folder \"" + (tmp / "file").string());
  EXPECT_FALSE(create_dirs(tmp / "file/sub"));
}

TEST(CopyFileAtomicTest, CopiesWithTheModeAndReplacesTheDestination) {
  const test::TempDir tmp;
  test::write_text(tmp / "src", "new content");
  test::write_text(tmp / "out/dst", "old");
  ASSERT_TRUE(copy_file_atomic(tmp / "src", tmp / "out/dst", 0440));
  EXPECT_EQ(test::read_text(tmp / "out/dst"), "new content");
  struct stat st {};
  ASSERT_EQ(::stat((tmp / "out/dst").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0440U);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(tmp / "out")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1U);  // no temporary file left

  const auto missing = copy_file_atomic(tmp / "none", tmp / "out/dst", 0644);
  ASSERT_FALSE(missing);
  EXPECT_CONTAINS(missing.error().message, "cannot read \"" + (tmp / "none").string() + "\"");
  EXPECT_EQ(test::read_text(tmp / "out/dst"), "new content");
}

}  // namespace
}  // namespace qa::util
