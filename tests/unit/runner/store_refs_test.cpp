#include <qa/runner/store_refs.hpp>

#include <gtest/gtest.h>

#include "unit/store/local_store_fixture.hpp"

namespace qa::runner {
namespace {

using test::k_sha_a;
using test::k_sha_b;

const std::string k_sha_a2 = "aaaa000000000000000000000000000000000000";

// Outside a project: no git, only the store answers.
class StoreRefsTest : public test::LocalStoreTest {
 protected:
  StoreRefsTest() {
    put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}});
    put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}}, "other");
    put(k_sha_b, "default/base/a.png", {{"a.txt", "A"}});
    put(k_sha_a2, "default/base/a.png", {{"a.txt", "A"}});
    EXPECT_TRUE(m_store->put_branch(k_project, store::BranchIndex{"main", k_sha_b, ""}));
    m_commits = m_store->inventory()->commits;
  }

  Expected<std::vector<store::CommitId>> resolve(const std::string& ref) {
    return resolve_store_ref(std::nullopt, *m_store, m_commits, ref);
  }

  std::vector<store::StoredCommit> m_commits;
};

TEST_F(StoreRefsTest, AFullShaNamesItInEveryProject) {
  const auto found = resolve(k_sha_a);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, (std::vector<store::CommitId>{{"acme/denoise", k_sha_a}, {"other", k_sha_a}}));
}

TEST_F(StoreRefsTest, ABranchOfTheStoresIndex) {
  const auto found = resolve("main");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, (std::vector<store::CommitId>{{"acme/denoise", k_sha_b}}));
}

TEST_F(StoreRefsTest, AnUnambiguousPrefix) {
  const auto found = resolve("bbbb");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, (std::vector<store::CommitId>{{"acme/denoise", k_sha_b}}));
  const auto ambiguous = resolve("aaaa");
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("ambiguous commit \"aaaa\""), std::string::npos);
}

TEST_F(StoreRefsTest, UnknownRefsAreErrorsNamingThem) {
  const auto unknown = resolve("no-such-branch");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown commit \"no-such-branch\""), std::string::npos)
      << unknown.error().message;
  const auto absent = resolve("dddddddddddddddddddddddddddddddddddddddd");
  ASSERT_FALSE(absent);
  EXPECT_NE(absent.error().message.find("no records of commit"), std::string::npos);
}

}  // namespace
}  // namespace qa::runner
