#include <qa/runner/output_dir.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;

TEST(OutputDir, NewFolderIsCreatedAndMarked) {
  test::TempDir tmp;
  const fs::path dir = tmp / "output" / "default" / "base" / "a.png";
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_TRUE(fs::exists(dir / k_output_marker));
}

TEST(OutputDir, MarkedFolderIsEmptied) {
  test::TempDir tmp;
  const fs::path dir = tmp / "out";
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  test::write_text(dir / "old.png", "x");
  test::write_text(dir / "nested" / "old.txt", "y");
  test::write_text(dir / k_log_file_name, "previous log");
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  EXPECT_FALSE(fs::exists(dir / "old.png"));
  EXPECT_FALSE(fs::exists(dir / "nested"));
  EXPECT_FALSE(fs::exists(dir / k_log_file_name));
  EXPECT_TRUE(fs::exists(dir / k_output_marker));
}

TEST(OutputDir, KeepPreviousKeepsOutputsButNotTheLog) {
  test::TempDir tmp;
  const fs::path dir = tmp / "out";
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  test::write_text(dir / "old.png", "x");
  test::write_text(dir / k_log_file_name, "previous log");
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::yes, tmp / "project"));
  EXPECT_EQ(test::read_text(dir / "old.png"), "x");
  EXPECT_FALSE(fs::exists(dir / k_log_file_name));
}

TEST(OutputDir, KeepPreviousUnsharesHardLinks) {
  test::TempDir tmp;
  const fs::path dir = tmp / "out";
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  test::write_text(dir / "out.bin", "stored");
  ASSERT_EQ(::link((dir / "out.bin").c_str(), (tmp / "blob").c_str()), 0);
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::yes, tmp / "project"));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "out.bin").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1U);
  EXPECT_EQ(test::read_text(dir / "out.bin"), "stored");
  test::write_text(dir / "out.bin", "rewritten in place");
  EXPECT_EQ(test::read_text(tmp / "blob"), "stored");
}

TEST(OutputDir, RefusesAFolderItDidNotMake) {
  test::TempDir tmp;
  test::write_text(tmp / "mine" / "precious.txt", "keep me");
  const auto result = prepare_output_dir(tmp / "mine", KeepPrevious::no, tmp / "project");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("refusing to empty"), std::string::npos);
  EXPECT_EQ(test::read_text(tmp / "mine" / "precious.txt"), "keep me");
}

TEST(OutputDir, RefusesTheProjectOrAFolderHoldingIt) {
  test::TempDir tmp;
  fs::create_directories(tmp / "project");
  EXPECT_FALSE(prepare_output_dir(tmp / "project", KeepPrevious::no, tmp / "project"));
  EXPECT_FALSE(prepare_output_dir(tmp.path(), KeepPrevious::no, tmp / "project"));
}

TEST(OutputDir, EmptyExistingFolderIsAccepted) {
  test::TempDir tmp;
  fs::create_directories(tmp / "empty");
  EXPECT_TRUE(prepare_output_dir(tmp / "empty", KeepPrevious::no, tmp / "project"));
  EXPECT_TRUE(fs::exists(tmp / "empty" / k_output_marker));
}

TEST(OutputDir, AFolderLeftByAKilledRunIsAccepted) {
  test::TempDir tmp;
  const auto dir = tmp / "out";
  test::write_text(dir / ".tmp..qa-output.abc123", "");  // killed between create and rename
  ASSERT_TRUE(prepare_output_dir(dir, KeepPrevious::no, tmp / "project"));
  EXPECT_FALSE(fs::exists(dir / ".tmp..qa-output.abc123"));
  EXPECT_TRUE(fs::exists(dir / k_output_marker));
}

TEST(OutputDir, AFileInTheWayIsAnError) {
  test::TempDir tmp;
  test::write_text(tmp / "file", "x");
  const auto result = prepare_output_dir(tmp / "file", KeepPrevious::no, tmp / "project");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("it is a file"), std::string::npos);
}

TEST(OutputDir, ASecondWriterWaitsUntilTheFirstIsDone) {
  test::TempDir tmp;
  const fs::path dir = tmp / "out";
  std::optional<OutputLock> first;
  {
    auto lock = prepare_output_dir(dir, KeepPrevious::no, tmp / "project");
    ASSERT_TRUE(lock) << lock.error().message;
    first.emplace(std::move(*lock));
  }
  test::write_text(dir / "first.png", "written by the first run");
  std::atomic<bool> second_ready{false};
  std::thread second([&] {
    auto lock = prepare_output_dir(dir, KeepPrevious::no, tmp / "project");
    EXPECT_TRUE(lock);
    second_ready = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(second_ready) << "the folder is still held by the first run";
  EXPECT_TRUE(fs::exists(dir / "first.png")) << "nothing was emptied under the first run";
  first.reset();
  second.join();
  EXPECT_TRUE(second_ready);
  EXPECT_FALSE(fs::exists(dir / "first.png")) << "emptied once the first run was done";
}

}  // namespace
}  // namespace qa::runner
