#include <qa/git/repository.hpp>

#include <qa/util/time.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace qa::git {
namespace {

namespace fs = std::filesystem;

// CI variables of the machine running the tests must not leak into these tests.
class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"CI_COMMIT_SHA", "GITHUB_SHA", "CI_COMMIT_REF_NAME", "GITHUB_HEAD_REF",
                             "GITHUB_REF_NAME"}) {
      ::unsetenv(name);
    }
  }
  test::TempDir m_tmp;
};

TEST_F(RepositoryTest, OutsideAnyRepositoryIsAnError) {
  const auto repo = Repository::discover(m_tmp.path());
  ASSERT_FALSE(repo);
  EXPECT_NE(repo.error().message.find("not a git repository"), std::string::npos);
  EXPECT_NE(repo.error().message.find(m_tmp.path().string()), std::string::npos);
}

TEST_F(RepositoryTest, RepositoryWithoutCommitsHasNoHead) {
  test::GitRepo git(m_tmp / "repo");
  auto repo = Repository::discover(git.dir());
  ASSERT_TRUE(repo) << repo.error().message;
  const auto head = repo->head_sha();
  ASSERT_FALSE(head);
  EXPECT_NE(head.error().message.find("no commit yet"), std::string::npos);
}

TEST_F(RepositoryTest, CleanCommitOnABranchFromASubfolder) {
  test::GitRepo git(m_tmp / "repo", "trunk");
  test::write_text(git.dir() / "sub" / "file.txt", "a\n");
  const std::string sha = git.commit_all("one");
  auto repo = Repository::discover(git.dir() / "sub");
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(fs::canonical(repo->workdir()), fs::canonical(git.dir()));
  const auto commit = repo->current_commit();
  ASSERT_TRUE(commit) << commit.error().message;
  EXPECT_EQ(commit->sha, sha);
  EXPECT_FALSE(commit->dirty);
  EXPECT_EQ(commit->branch, "trunk");
  EXPECT_FALSE(commit->detached);
  EXPECT_EQ(commit->key(), sha);
}

TEST_F(RepositoryTest, FirstParentLogSkipsMergedCommitsAndSaysWhereAShallowCloneEnds) {
  test::GitRepo git(m_tmp / "repo");
  const std::string one = git.commit_all("one");
  git.git("checkout -q -b side");
  const std::string side = git.commit_all("side");
  git.git("checkout -q main");
  const std::string two = git.commit_all("two\n\nbody");
  git.git("merge -q --no-ff side -m 'merge side'");
  const std::string merge = git.head();
  auto repo = Repository::discover(git.dir());
  ASSERT_TRUE(repo) << repo.error().message;
  auto log = repo->first_parent_log(merge, 10);
  ASSERT_TRUE(log) << log.error().message;
  ASSERT_EQ(log->commits.size(), 3U);
  EXPECT_EQ(log->commits[0].sha, merge);
  EXPECT_EQ(log->commits[0].subject, "merge side");
  EXPECT_EQ(log->commits[1].sha, two);
  EXPECT_EQ(log->commits[1].subject, "two");
  EXPECT_EQ(log->commits[2].sha, one);
  EXPECT_EQ(log->commits[2].author_date, util::rfc3339(std::chrono::system_clock::from_time_t(
                                             std::stoll(git.git("show -s --format=%at " + one)))));
  EXPECT_FALSE(log->shallow_end);  // the root
  for (const auto& commit : log->commits) {
    EXPECT_NE(commit.sha, side);  // the merge's second parent
  }

  log = repo->first_parent_log(merge, 2);
  ASSERT_TRUE(log) << log.error().message;
  EXPECT_EQ(log->commits.size(), 2U);
  EXPECT_FALSE(log->shallow_end);  // the limit

  EXPECT_FALSE(repo->first_parent_log(std::string(40, 'e'), 10));  // not a commit here

  test::sh("git clone -q --depth 2 file://" + git.dir().string() + " clone", m_tmp.path());
  auto clone = Repository::discover(m_tmp / "clone");
  ASSERT_TRUE(clone) << clone.error().message;
  log = clone->first_parent_log(merge, 10);
  ASSERT_TRUE(log) << log.error().message;
  EXPECT_EQ(log->commits.size(), 2U);  // the merge and two; one is beyond the edge
  EXPECT_TRUE(log->shallow_end);
}

TEST_F(RepositoryTest, ModifiedStagedOrDeletedTrackedFilesMakeItDirty) {
  test::GitRepo git(m_tmp / "repo");
  test::write_text(git.dir() / "a.txt", "a\n");
  test::write_text(git.dir() / "b.txt", "b\n");
  const std::string sha = git.commit_all("one");
  auto repo = Repository::discover(git.dir());
  ASSERT_TRUE(repo);
  test::write_text(git.dir() / "untracked.txt", "u\n");
  EXPECT_FALSE(*repo->is_dirty()) << "untracked files do not count";
  test::write_text(git.dir() / "a.txt", "changed\n");
  EXPECT_TRUE(*repo->is_dirty());
  EXPECT_EQ(repo->current_commit()->key(), sha + "-dirty");
  git.git("checkout -q -- a.txt");
  EXPECT_FALSE(*repo->is_dirty());
  git.git("rm -q --cached b.txt");
  EXPECT_TRUE(*repo->is_dirty()) << "a staged deletion counts";
}

TEST_F(RepositoryTest, DetachedHeadHasNoBranch) {
  test::GitRepo git(m_tmp / "repo");
  const std::string first = git.commit_all("one");
  git.commit_all("two");
  git.git("checkout -q " + first);
  auto repo = Repository::discover(git.dir());
  ASSERT_TRUE(repo);
  const auto commit = repo->current_commit();
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->sha, first);
  EXPECT_TRUE(commit->detached);
  EXPECT_FALSE(commit->branch.has_value());
}

TEST_F(RepositoryTest, CiVariablesTakePrecedence) {
  test::GitRepo git(m_tmp / "repo");
  git.commit_all("one");
  git.git("checkout -q --detach");
  auto repo = Repository::discover(git.dir());
  ASSERT_TRUE(repo);
  const std::string sha(40, 'b');
  ::setenv("GITHUB_SHA", sha.c_str(), 1);
  ::setenv("GITHUB_REF_NAME", "12/merge", 1);
  ::setenv("GITHUB_HEAD_REF", "", 1);  // set but empty on push events: ignored
  auto commit = repo->current_commit();
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->sha, sha);
  EXPECT_EQ(commit->branch, "12/merge");
  ::setenv("GITHUB_HEAD_REF", "feature", 1);
  EXPECT_EQ(repo->current_commit()->branch, "feature");
  ::setenv("CI_COMMIT_REF_NAME", "gitlab-branch", 1);
  EXPECT_EQ(repo->current_commit()->branch, "gitlab-branch");
  EXPECT_TRUE(repo->current_commit()->detached);
}

}  // namespace
}  // namespace qa::git
