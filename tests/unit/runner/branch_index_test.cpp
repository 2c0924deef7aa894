#include <qa/runner/branch_index.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

class BranchIndexTest : public ::testing::Test {
 protected:
  BranchIndexTest() {
    m_context.config.name = "acme/demo";
    m_context.commit = git::CommitIdentity{k_sha, false, "feature/x", false};
    for (const char* key : {"default/base/a.png", "default/base/b.png"}) {
      RunSpec spec;
      spec.key = key;
      m_plan.push_back(spec);
    }
  }

  // Store a run of `key` at `commit` with `status`.
  void put_run(const std::string& key, core::RunStatus status, const std::string& commit = k_sha) {
    core::RunRecord record;
    record.project = "acme/demo";
    record.commit = commit;
    record.key = key;
    record.input = "a.png";
    record.status = status;
    ASSERT_TRUE(m_store.put_run(record, m_tmp.path()));
  }

  // Return the commit of the store's index of `branch`, or "" when there is none.
  std::string indexed(const std::string& branch = "feature/x") {
    const auto index = m_store.get_branch("acme/demo", branch);
    EXPECT_TRUE(index) << index.error().message;
    return index && *index ? (*index)->commit : std::string();
  }

  test::TempDir m_tmp;
  store::Store m_store = std::move(*store::Store::open("memory://"));
  ProjectContext m_context;
  std::vector<RunSpec> m_plan;
};

TEST_F(BranchIndexTest, UpdatedWhenEveryRunOfThePlanHasAnOkRecord) {
  put_run("default/base/a.png", core::RunStatus::ok);
  put_run("default/base/b.png", core::RunStatus::ok);
  const auto updated = update_branch_index(m_context, m_store, m_plan);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(*updated);
  EXPECT_EQ(indexed(), k_sha);
  const auto index = m_store.get_branch("acme/demo", "feature/x");
  ASSERT_TRUE(index && *index);
  EXPECT_FALSE((*index)->updated_at.empty());
}

TEST_F(BranchIndexTest, NotUpdatedWhileARunIsMissingOrNotOk) {
  put_run("default/base/a.png", core::RunStatus::ok);
  auto updated = update_branch_index(m_context, m_store, m_plan);  // b.png has no record
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_FALSE(*updated);
  for (const auto status :
       {core::RunStatus::failed, core::RunStatus::timeout, core::RunStatus::planned}) {
    put_run("default/base/b.png", status);
    updated = update_branch_index(m_context, m_store, m_plan);
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_FALSE(*updated) << core::to_string(status);
  }
  // Ok records of another commit do not count.
  put_run("default/base/b.png", core::RunStatus::ok, std::string(40, 'f'));
  updated = update_branch_index(m_context, m_store, m_plan);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_FALSE(*updated);
  EXPECT_EQ(indexed(), "");
}

// A run the run cache answered succeeded: a docs-only commit of the branch moves its index.
TEST_F(BranchIndexTest, CachedRunsCountAsSucceeded) {
  put_run("default/base/a.png", core::RunStatus::ok);
  put_run("default/base/b.png", core::RunStatus::cached);
  const auto updated = update_branch_index(m_context, m_store, m_plan);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(*updated);
  EXPECT_EQ(indexed(), k_sha);
}

TEST_F(BranchIndexTest, NotUpdatedForADirtyTreeADetachedHeadOrAnEmptyPlan) {
  put_run("default/base/a.png", core::RunStatus::ok);
  put_run("default/base/b.png", core::RunStatus::ok);
  put_run("default/base/a.png", core::RunStatus::ok, k_sha + "-dirty");
  put_run("default/base/b.png", core::RunStatus::ok, k_sha + "-dirty");
  auto dirty = m_context;
  dirty.commit.dirty = true;
  auto detached = m_context;
  detached.commit.branch.reset();
  detached.commit.detached = true;
  for (const auto& [context, plan] : std::vector<std::pair<ProjectContext, std::vector<RunSpec>>>{
           {dirty, m_plan}, {detached, m_plan}, {m_context, {}}}) {
    const auto updated = update_branch_index(context, m_store, plan);
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_FALSE(*updated);
  }
  EXPECT_EQ(indexed(), "");
}

// Each update keeps the commit the index named before at the head of its chain, newest first,
// the current commit never in it, at most store::k_branch_chain commits.
TEST_F(BranchIndexTest, EachUpdateChainsThePreviousCommit) {
  const std::vector<std::string> shas{std::string(40, '1'), std::string(40, '2'), k_sha};
  for (const auto& sha : shas) {
    put_run("default/base/a.png", core::RunStatus::ok, sha);
    put_run("default/base/b.png", core::RunStatus::ok, sha);
    m_context.commit.sha = sha;
    const auto updated = update_branch_index(m_context, m_store, m_plan);
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_TRUE(*updated);
  }
  // Updated again at the same commit: the chain stays.
  ASSERT_TRUE(update_branch_index(m_context, m_store, m_plan));
  auto index = m_store.get_branch("acme/demo", "feature/x");
  ASSERT_TRUE(index && *index);
  EXPECT_EQ((*index)->commit, k_sha);
  EXPECT_EQ((*index)->previous, (std::vector<std::string>{shas[1], shas[0]}));

  std::vector<std::string> long_chain(store::k_branch_chain, std::string(40, 'e'));
  ASSERT_TRUE(
      m_store.put_branch("acme/demo", store::BranchIndex{"feature/x", shas[0], "", long_chain}));
  ASSERT_TRUE(update_branch_index(m_context, m_store, m_plan));
  index = m_store.get_branch("acme/demo", "feature/x");
  ASSERT_TRUE(index && *index);
  ASSERT_EQ((*index)->previous.size(), store::k_branch_chain);
  EXPECT_EQ((*index)->previous.front(), shas[0]);
}

TEST_F(BranchIndexTest, AnInvalidKeyInThePlanIsAnError) {
  m_plan[1].key = "../outside";
  EXPECT_FALSE(update_branch_index(m_context, m_store, m_plan));
  EXPECT_EQ(indexed(), "");
}

}  // namespace
}  // namespace qa::runner
