#include <qa/store/verify.hpp>

#include <gtest/gtest.h>

#include "unit/store/local_store_fixture.hpp"

namespace qa::store {
namespace {

using test::k_sha_a;
using test::k_sha_b;

class VerifyTest : public test::LocalStoreTest {};

TEST_F(VerifyTest, AnIntactStoreVerifies) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}, {"b.txt", "B"}});
  put(k_sha_b, "default/base/a.png", {{"a.txt", "A"}});
  const auto result = verify_store(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->commits, 2U);
  EXPECT_EQ(result->records, 2U);
  EXPECT_EQ(result->blobs, 2U);  // A counted once
}

TEST_F(VerifyTest, NamesEachMissingOrCorruptBlobWithARunThatUsesIt) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}, {"b.txt", "B"}});
  std::filesystem::remove(blob_file("A"));
  std::filesystem::permissions(blob_file("B"), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  test::write_text(blob_file("B"), "b");

  const auto result = verify_store(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->ok());
  ASSERT_EQ(result->bad_blobs.size(), 2U);
  std::map<std::string, BadBlob> by_file;
  for (const auto& bad : result->bad_blobs) {
    by_file[bad.file] = bad;
  }
  EXPECT_EQ(by_file["a.txt"].state, BlobState::missing);
  EXPECT_EQ(by_file["b.txt"].state, BlobState::corrupt);
  EXPECT_EQ(by_file["b.txt"].key, "default/base/a.png");
  EXPECT_EQ(by_file["b.txt"].commit, k_sha_a);
  EXPECT_EQ(describe(by_file["b.txt"]),
            "corrupt blob " + util::hash_bytes("B").hex() +
                ": named by \"b.txt\" of run \"default/base/a.png\" at commit " + k_sha_a +
                " of \"acme/denoise\"");
}

TEST_F(VerifyTest, ATruncatedRecordIsReportedAndTheOthersChecked) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}});
  put(k_sha_a, "default/base/b.png", {{"b.txt", "B"}});
  const auto bad = record_file(k_sha_a, "default/base/a.png");
  std::filesystem::permissions(bad, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::filesystem::resize_file(bad, 10);
  std::filesystem::remove(blob_file("B"));

  const auto result = verify_store(*m_store, {});
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->damaged.size(), 1U);
  EXPECT_NE(describe(result->damaged[0]).find("damaged record \"acme/denoise/commits/aa/"),
            std::string::npos);
  ASSERT_EQ(result->bad_blobs.size(), 1U);
  EXPECT_EQ(result->bad_blobs[0].file, "b.txt");
}

TEST_F(VerifyTest, OnlyTheCommitsAskedForAreRead) {
  put(k_sha_a, "default/base/a.png", {{"a.txt", "A"}});
  put(k_sha_b, "default/base/a.png", {{"b.txt", "B"}});
  std::filesystem::remove(blob_file("B"));
  VerifyOptions options;
  options.commits = std::vector<CommitId>{{k_project, k_sha_a}};
  const auto result = verify_store(*m_store, options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->commits, 1U);
}

}  // namespace
}  // namespace qa::store
