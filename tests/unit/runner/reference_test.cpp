#include <qa/runner/reference.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/git_fixture.hpp"
#include "support/process.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::runner {
namespace {

namespace fs = std::filesystem;

const std::string k_key_a = "default/base/a.png";
const std::string k_key_b = "default/base/b.png";

// History: main c1 - c2 (tag v2) - c3; feature branches from c3 with f1 - f2 (checked out).
// Results go into an in-memory store.
class ReferenceTest : public ::testing::Test {
 protected:
  ReferenceTest() {
    m_c1 = m_repo.commit_all("c1");
    m_c2 = m_repo.commit_all("c2");
    m_repo.git("tag v2");
    m_c3 = m_repo.commit_all("c3");
    m_repo.git("checkout -q -b feature");
    m_f1 = m_repo.commit_all("f1");
    m_f2 = m_repo.commit_all("f2");
    m_context = context_at(m_tmp / "repo", m_f2, "feature");
  }

  static ProjectContext context_at(const fs::path& root, const std::string& sha,
                                   const std::string& branch) {
    ProjectContext context;
    context.config.root = root;
    context.config.name = "acme/demo";
    context.config.reference_branch = "main";
    context.commit = git::CommitIdentity{sha, false, branch, false};
    return context;
  }

  // An ok run of `key` at `commit`.
  static core::RunRecord ok_run(const std::string& commit, const std::string& key) {
    core::RunRecord record;
    record.project = "acme/demo";
    record.commit = commit;
    record.key = key;
    record.input = "a.png";
    record.status = core::RunStatus::ok;
    return record;
  }

  // Store an ok run of `key` at `commit`.
  void put_results(const std::string& commit, const std::string& key = k_key_a) {
    ASSERT_TRUE(m_store.put_run(ok_run(commit, key), m_tmp.path()));
  }

  Expected<ReferenceChoice> resolve(const std::string& ref, std::vector<std::string> keys = {},
                                    int max_depth = 20) {
    return resolve_reference(m_context, m_store, ReferenceRequest{ref, std::move(keys), max_depth});
  }

  test::TempDir m_tmp;
  test::GitRepo m_repo{m_tmp / "repo"};
  store::Store m_store = std::move(*store::Store::open("memory://"));
  test::ScopedCleanEnvironment m_clean;
  std::string m_c1, m_c2, m_c3, m_f1, m_f2;
  ProjectContext m_context;
};

TEST_F(ReferenceTest, AnExplicitShaTagOrBranchIsUsedAsGiven) {
  for (const auto& [ref, expected] : std::vector<std::pair<std::string, std::string>>{
           {m_c1, m_c1}, {m_c1.substr(0, 10), m_c1}, {"v2", m_c2}, {"main", m_c3}}) {
    const auto choice = resolve(ref);  // no results anywhere: an explicit ref needs none
    ASSERT_TRUE(choice) << ref << ": " << choice.error().message;
    EXPECT_EQ(choice->requested, ref);
    EXPECT_EQ(choice->commit, expected) << ref;
    EXPECT_EQ(choice->tried, std::vector<std::string>{expected});
    EXPECT_CONTAINS(choice->reason, "\"" + ref + "\" was given");
  }
}

TEST_F(ReferenceTest, AnExplicitRefUnknownToGitComesFromTheStoresBranchIndex) {
  const auto unknown = resolve("release");
  ASSERT_FALSE(unknown);
  EXPECT_CONTAINS(unknown.error().message, "unknown reference \"release\"");
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"release", m_c1, ""}));
  const auto choice = resolve("release");
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c1);
  EXPECT_CONTAINS(choice->reason, "git does not know \"release\"");
  EXPECT_CONTAINS(choice->reason, "branch index of \"release\"");
}

// A milestone (qa-store tag) is a reference that does not move: found after git's names,
// before the store's branch index; resolve_commit (--commit) knows it too.
TEST_F(ReferenceTest, AMilestoneOfTheStoreIsAReference) {
  ASSERT_TRUE(m_store.put_milestone("acme/demo", store::Milestone{"golden-2026", m_c1, ""}));
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"golden-2026", m_c3, ""}));
  const auto choice = resolve("golden-2026");
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c1);
  EXPECT_CONTAINS(choice->reason, "milestone \"golden-2026\"");
  const auto commit = resolve_commit(m_context, m_store, "golden-2026");
  ASSERT_TRUE(commit) << commit.error().message;
  EXPECT_EQ(*commit, m_c1);
  // git's names come first: a milestone named as a git tag does not hide the tag.
  ASSERT_TRUE(m_store.put_milestone("acme/demo", store::Milestone{"v2", m_c1, ""}));
  EXPECT_EQ(resolve("v2")->commit, m_c2);
  const auto unknown = resolve("nothing-of-that-name");
  ASSERT_FALSE(unknown);
  EXPECT_CONTAINS(unknown.error().message, "nor a milestone or a branch of the store");
}

TEST_F(ReferenceTest, AutoStartsAtTheMergeBaseWithTheReferenceBranch) {
  put_results(m_c3);
  put_results(m_f1);  // on the feature branch itself: never a reference
  const auto choice = resolve("auto");
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c3);
  EXPECT_EQ(choice->tried, std::vector<std::string>{m_c3});
  EXPECT_CONTAINS(choice->reason, "merge-base");
  EXPECT_CONTAINS(choice->reason, m_c3.substr(0, 12));
}

TEST_F(ReferenceTest, AutoWalksFirstParentsToTheNearestCommitWithResultsForTheKeys) {
  put_results(m_c3, k_key_b);
  put_results(m_c1, k_key_a);
  auto choice = resolve("auto", {k_key_a});
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c1);
  EXPECT_EQ(choice->tried, (std::vector<std::string>{m_c3, m_c2, m_c1}));
  EXPECT_CONTAINS(choice->reason, "2 first parent(s) back");
  // Any one of the keys counts, and without keys any run does.
  for (const auto& keys :
       {std::vector<std::string>{k_key_a, k_key_b}, std::vector<std::string>{}}) {
    choice = resolve("auto", keys);
    ASSERT_TRUE(choice) << choice.error().message;
    EXPECT_EQ(choice->commit, m_c3);
  }
}

TEST_F(ReferenceTest, ResultsHeldOnlyInAPackCount) {
  // No single record: `qa-store pack` of an old store, say. The pack is read for the keys.
  ASSERT_TRUE(m_store.put_pack("acme/demo", m_c2, {k_key_a}, {ok_run(m_c2, k_key_a)}));
  ASSERT_FALSE(*m_store.has_single_run("acme/demo", m_c2, k_key_a));
  const auto choice = resolve("auto", {k_key_b, k_key_a});
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c2);
  EXPECT_EQ(choice->tried, (std::vector<std::string>{m_c3, m_c2}));
}

TEST_F(ReferenceTest, OnTheReferenceBranchAutoStartsAtTheFirstParent) {
  put_results(m_c3);
  put_results(m_c2);
  m_context = context_at(m_tmp / "repo", m_c3, "main");
  const auto choice = resolve("auto");
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c2);
  EXPECT_CONTAINS(choice->reason, "first parent");
}

TEST_F(ReferenceTest, CiVariablesChooseTheStartAndTheReferenceBranch) {
  put_results(m_c1);
  put_results(m_f1);
  {
    const test::ScopedEnv base("CI_MERGE_REQUEST_DIFF_BASE_SHA", m_f1);
    const auto choice = resolve("auto");
    ASSERT_TRUE(choice) << choice.error().message;
    EXPECT_EQ(choice->commit, m_f1);
    EXPECT_CONTAINS(choice->reason, "CI_MERGE_REQUEST_DIFF_BASE_SHA");
  }
  // A branch `release` at c1 that is the base of a pull request: its merge-base is c1.
  m_repo.git("branch release " + m_c1);
  const test::ScopedEnv base_ref("GITHUB_BASE_REF", "release");
  const auto choice = resolve("auto", {}, 0);
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c1);
  EXPECT_CONTAINS(choice->reason, "\"release\"");
}

TEST_F(ReferenceTest, NoResultsWithinTheDepthIsAnErrorNamingTheCommitsTried) {
  put_results(m_c1);
  const auto choice = resolve("auto", {k_key_a}, 1);
  ASSERT_FALSE(choice);
  EXPECT_CONTAINS(choice.error().message, "no reference results");
  EXPECT_CONTAINS(choice.error().message,
                  "tried " + m_c3.substr(0, 12) + ", " + m_c2.substr(0, 12) + ";");
  EXPECT_CONTAINS(choice.error().message, "running the batch at " + m_c3.substr(0, 12));
}

TEST_F(ReferenceTest, WithoutAMergeBaseTheStoresBranchIndexIsUsed) {
  m_context.config.reference_branch = "develop";  // unknown to git
  const auto none = resolve("auto");
  ASSERT_FALSE(none);
  EXPECT_CONTAINS(none.error().message, "git finds no merge-base with \"develop\"");
  EXPECT_CONTAINS(none.error().message, "no branch index for \"develop\"");
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"develop", m_c2, ""}));
  const auto choice = resolve("auto");
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c2);
  EXPECT_CONTAINS(choice->reason, "branch index of \"develop\"");
}

TEST_F(ReferenceTest, TheFirstCommitOfTheReferenceBranchIsNotItsOwnReference) {
  // The batch of main's first commit updated main's branch index to that very commit.
  m_context = context_at(m_tmp / "repo", m_c1, "main");
  put_results(m_c1);
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"main", m_c1, ""}));
  const auto choice = resolve("auto", {k_key_a});
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().kind, ErrorKind::no_reference);
  EXPECT_CONTAINS(choice.error().message, "is the first commit of the reference branch");
  EXPECT_CONTAINS(choice.error().message, "names this commit itself");
}

TEST_F(ReferenceTest, AShallowCloneFallsBackToTheBranchIndex) {
  test::sh("git clone -q --depth 2 --branch main file://" + (m_tmp / "repo").string() + " clone",
           m_tmp.path());
  m_context = context_at(m_tmp / "clone", m_c3, "main");
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"main", m_c1, ""}));
  const auto choice = resolve("auto");  // c2, the clone's edge, has no results
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->commit, m_c1);
  EXPECT_EQ(choice->tried, (std::vector<std::string>{m_c2, m_c1}));
  EXPECT_CONTAINS(choice->reason, "the clone is shallow");
}

TEST_F(ReferenceTest, ResolveCommitNamesHeadShasRefsAndIndexedBranches) {
  EXPECT_EQ(resolve_commit(m_context, m_store, "").value_or(""), m_f2);
  m_context.commit.dirty = true;
  EXPECT_EQ(resolve_commit(m_context, m_store, "HEAD").value_or(""), m_f2 + "-dirty");
  const std::string unknown_sha(40, 'e');
  EXPECT_EQ(resolve_commit(m_context, m_store, unknown_sha).value_or(""), unknown_sha);
  EXPECT_EQ(resolve_commit(m_context, m_store, m_c1 + "-dirty").value_or(""), m_c1 + "-dirty");
  EXPECT_EQ(resolve_commit(m_context, m_store, "v2").value_or(""), m_c2);
  EXPECT_EQ(resolve_commit(m_context, m_store, "main").value_or(""), m_c3);
  EXPECT_EQ(resolve_commit(m_context, m_store, m_c1.substr(0, 8)).value_or(""), m_c1);
  const auto missing = resolve_commit(m_context, m_store, "release");
  ASSERT_FALSE(missing);
  EXPECT_CONTAINS(missing.error().message, "unknown commit \"release\"");
  ASSERT_TRUE(m_store.put_branch("acme/demo", store::BranchIndex{"release", m_c2, ""}));
  EXPECT_EQ(resolve_commit(m_context, m_store, "release").value_or(""), m_c2);
}

TEST(ReferenceJsonTest, RequestTakesTheKeysOfTheRecordsAndChoiceSerializes) {
  core::RunRecord a;
  a.key = k_key_a;
  core::RunRecord b;
  b.key = k_key_b;
  const auto request = reference_request("main", 5, {a, b});
  EXPECT_EQ(request.ref, "main");
  EXPECT_EQ(request.max_depth, 5);
  EXPECT_EQ(request.keys, (std::vector<std::string>{k_key_a, k_key_b}));
  const ReferenceChoice choice{"auto", "abc", "why", {"abc", "def"}};
  EXPECT_EQ(to_json(choice), nlohmann::json::parse(R"({"requested": "auto", "commit": "abc",
                                                      "reason": "why", "tried": ["abc", "def"]})"));
}

}  // namespace
}  // namespace qa::runner
