#include <qa/runner/slurm_reachable.hpp>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

TEST(SlurmReachableTest, LocalFileSystemsAreNotShared) {
  const test::TempDir tmp;
  // The test's folders are on this machine's disk (or tmpfs), /proc is no disk at all; a path
  // that does not exist yet is judged by its nearest existing parent.
  EXPECT_FALSE(on_shared_filesystem(tmp.path()));
  EXPECT_FALSE(on_shared_filesystem(tmp / "not" / "yet"));
  EXPECT_FALSE(on_shared_filesystem("/proc/self"));
}

TEST(SlurmReachableTest, AMemoryStoreIsRefusedBeforeAskingSlurm) {
  ProjectContext context;
  context.store_location = "memory://x";
  SlurmRunOptions options;
  const test::TempDir tmp;
  options.work_dir = tmp / "work";
  const auto checked = check_slurm_reachable(context, {}, options);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            "the store \"memory://x\" lives in this process: Slurm's tasks cannot reach it");
  EXPECT_EQ(checked.error().kind, ErrorKind::usage);
}

}  // namespace
}  // namespace qa::runner
