// The Store's milestones (store/store_milestones.cpp): named commits, read back and listed.
#include <qa/store/store.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <qa/store/memory_backend.hpp>

#include "support/expect.hpp"

namespace qa::store {
namespace {

const std::string k_project = "acme/denoise";
const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";
const std::string k_other = "fedcba9876543210fedcba9876543210fedcba98";

class StoreMilestonesTest : public ::testing::Test {
 protected:
  StoreMilestonesTest() {
    auto backend = std::make_unique<MemoryBackend>();
    m_memory = backend.get();
    m_store = std::make_unique<Store>(std::move(backend));
  }
  MemoryBackend* m_memory = nullptr;
  std::unique_ptr<Store> m_store;
};

TEST_F(StoreMilestonesTest, AMilestoneIsWrittenReadBackMovedAndListed) {
  EXPECT_FALSE(*m_store->get_milestone(k_project, "v1.0"));
  ASSERT_TRUE(m_store->put_milestone(k_project, Milestone{"v1.0", k_sha, "2026-12-01T00:00:00Z"}));
  const auto read = m_store->get_milestone(k_project, "v1.0");
  ASSERT_TRUE(read && *read) << (read ? "" : read.error().message);
  EXPECT_EQ((*read)->commit, k_sha);
  EXPECT_EQ((*read)->created_at, "2026-12-01T00:00:00Z");
  EXPECT_TRUE(*m_memory->get_document("acme/denoise/milestones/v1.0.json"));
  ASSERT_TRUE(m_store->put_milestone(k_project, Milestone{"v1.0", k_other, ""}));
  ASSERT_TRUE(m_store->put_milestone(k_project, Milestone{"golden_b", k_sha, ""}));
  const auto listed = m_store->list_milestones(k_project);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].name, "golden_b");
  EXPECT_EQ((*listed)[1].commit, k_other) << "moved";
  EXPECT_TRUE(m_store->list_milestones("acme/other")->empty());
}

TEST_F(StoreMilestonesTest, NamesAreRestrictedToSafeFileNames) {
  for (const std::string& bad : std::vector<std::string>{"", "-x", ".hidden", "a/b", "a b", "../up",
                                                         std::string(101, 'a')}) {
    const auto put = m_store->put_milestone(k_project, Milestone{bad, k_sha, ""});
    ASSERT_FALSE(put) << bad;
    EXPECT_CONTAINS(put.error().message, "invalid milestone name");
    EXPECT_EQ(put.error().kind, ErrorKind::usage);
  }
  EXPECT_TRUE(check_milestone_name("release-2026.12_rc1"));
  EXPECT_FALSE(m_store->put_milestone(k_project, Milestone{"v1", "not-a-sha", ""}));
}

TEST_F(StoreMilestonesTest, ADamagedMilestoneIsAnErrorNamingIt) {
  ASSERT_TRUE(m_memory->put_document("acme/denoise/milestones/v1.json", "{\"schema\": 3}"));
  const auto read = m_store->get_milestone(k_project, "v1");
  ASSERT_FALSE(read);
  EXPECT_CONTAINS(read.error().message, "acme/denoise/milestones/v1.json");
  // A document naming another milestone is not this one.
  ASSERT_TRUE(m_memory->put_document(
      "acme/denoise/milestones/v2.json",
      R"({"schema": "qa.milestone/1", "name": "v3", "commit": ")" + k_sha + "\"}"));
  EXPECT_FALSE(m_store->get_milestone(k_project, "v2"));
  EXPECT_FALSE(m_store->list_milestones(k_project));
}

}  // namespace
}  // namespace qa::store
