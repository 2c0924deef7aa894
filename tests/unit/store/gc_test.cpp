#include <qa/store/gc.hpp>

#include <gtest/gtest.h>

#include "unit/store/local_store_fixture.hpp"

namespace qa::store {
namespace {

using namespace std::chrono_literals;
using test::k_sha_a;
using test::k_sha_b;
using test::k_sha_c;

constexpr auto k_days = 24h;

class GcTest : public test::LocalStoreTest {
 protected:
  // Three commits 40 days old: a (the head of main) and b share blob "shared"; c names "c-only".
  // A blob nothing names is 2 days old ("orphan"), another one minute old ("fresh").
  GcTest() {
    put(k_sha_a, "default/base/a.png", {{"out.txt", "shared"}, {"a.txt", "a-only"}});
    put(k_sha_b, "default/base/a.png", {{"out.txt", "shared"}, {"b.txt", "b-only"}});
    put(k_sha_c, "default/base/a.png", {{"c.txt", "c-only"}});
    put(k_sha_c, "default/base/z.png", {{"orphan.txt", "orphan"}, {"fresh.txt", "fresh"}});
    EXPECT_TRUE(m_store->put_branch(k_project, BranchIndex{"main", k_sha_a, ""}));
    EXPECT_TRUE(m_store->remove_commit(k_project, k_sha_c));
    put(k_sha_c, "default/base/a.png", {{"c.txt", "c-only"}});
    make_old(root() / k_project, 40 * k_days);
    make_old(root() / "cas", 40 * k_days);
    make_old(blob_file("orphan"), 2 * k_days);
    make_old(blob_file("fresh"), 1min);
  }

  bool exists(const std::string& content) const {
    return std::filesystem::exists(blob_file(content));
  }
};

TEST_F(GcTest, KeepsBranchHeadsAndWhatTheyNameRemovesTheRest) {
  const auto result = collect_garbage(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->kept_commits.size(), 1U);
  EXPECT_EQ(result->kept_commits[0].first.commit, k_sha_a);
  EXPECT_EQ(result->kept_commits[0].second, KeptBy::branch);
  EXPECT_EQ(result->removed_commits.size(), 2U);
  EXPECT_EQ(result->removed_records.objects, 2U);
  EXPECT_FALSE(std::filesystem::exists(record_file(k_sha_b, "default/base/a.png")));
  EXPECT_TRUE(exists("shared"));
  EXPECT_TRUE(exists("a-only"));
  EXPECT_FALSE(exists("b-only"));
  EXPECT_FALSE(exists("c-only"));
  EXPECT_FALSE(exists("orphan"));
  EXPECT_TRUE(exists("fresh"));  // younger than the grace period
  EXPECT_EQ(result->removed_blobs.size(), 3U);
  EXPECT_EQ(result->removed_blob_bytes, std::string("b-onlyc-onlyorphan").size());
}

TEST_F(GcTest, AMilestoneKeepsItsCommitAndWhatItNames) {
  ASSERT_TRUE(m_store->put_milestone(k_project, Milestone{"release-1", k_sha_c, ""}));
  make_old(root() / k_project, 40 * k_days);
  const auto result = collect_garbage(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->kept_commits.size(), 2U);
  EXPECT_EQ(result->kept_commits[1].first.commit, k_sha_c);
  EXPECT_EQ(result->kept_commits[1].second, KeptBy::milestone);
  EXPECT_TRUE(exists("c-only"));
  EXPECT_FALSE(exists("b-only"));
  const auto milestone = m_store->get_milestone(k_project, "release-1");
  ASSERT_TRUE(milestone && *milestone) << "gc removes no milestone";
}

TEST_F(GcTest, KeepAndAgeKeepCommits) {
  make_old(root() / Store::commit_folder(k_project, k_sha_c), 3 * k_days);
  GcOptions options;
  options.keep = {CommitId{k_project, k_sha_b}};
  options.keep_age = 7 * k_days;
  const auto result = collect_garbage(*m_store, options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kept_commits.size(), 3U);
  EXPECT_TRUE(result->removed_commits.empty());
  EXPECT_TRUE(exists("b-only"));
  EXPECT_TRUE(exists("c-only"));
  EXPECT_FALSE(exists("orphan"));
}

TEST_F(GcTest, AShortGraceRemovesYoungUnnamedBlobsToo) {
  GcOptions options;
  options.grace = 0s;
  options.keep_age = 0s;
  ASSERT_TRUE(collect_garbage(*m_store, options));
  EXPECT_FALSE(exists("fresh"));
  EXPECT_TRUE(exists("shared"));
}

TEST_F(GcTest, ABlobABatchReusesIsYoungAgainWhileItsRecordIsToCome) {
  // A batch at a new commit stores its outputs: "b-only" is there already (40 days old). Its
  // record is not written yet when gc runs: the blob is named by b alone, which gc removes.
  constexpr const char* k_sha_d = "dddddddddddddddddddddddddddddddddddddddd";
  put(k_sha_d, "default/base/a.png", {{"b.txt", "b-only"}});
  std::filesystem::remove_all(root() / Store::commit_folder(k_project, k_sha_d));
  const auto result = collect_garbage(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(std::filesystem::exists(record_file(k_sha_b, "default/base/a.png")));
  EXPECT_TRUE(exists("b-only")) << "reused within the grace period";
  EXPECT_FALSE(exists("c-only"));
}

TEST_F(GcTest, DryRunRemovesNothingAndSaysWhatWouldGo) {
  GcOptions options;
  options.dry_run = DryRun::yes;
  const auto result = collect_garbage(*m_store, options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->removed_commits.size(), 2U);
  EXPECT_EQ(result->removed_blobs.size(), 3U);
  EXPECT_TRUE(std::filesystem::exists(record_file(k_sha_b, "default/base/a.png")));
  EXPECT_TRUE(exists("b-only"));
  EXPECT_TRUE(exists("orphan"));
}

TEST_F(GcTest, ADamagedKeptRecordStopsBlobRemoval) {
  const auto bad = record_file(k_sha_a, "default/base/a.png");
  std::filesystem::permissions(bad, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::filesystem::resize_file(bad, 10);
  const auto result = collect_garbage(*m_store, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::check_failed);
  EXPECT_NE(result.error().message.find("no blob was removed"), std::string::npos);
  EXPECT_TRUE(exists("orphan"));
}

}  // namespace
}  // namespace qa::store
