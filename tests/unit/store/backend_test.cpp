#include <qa/store/backend.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <qa/store/memory_backend.hpp>

#include "support/forwarding_backend.hpp"
#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

// A backend with only the single-blob operations (over a MemoryBackend), so that the batch
// operations are the defaults of Backend. It counts the calls and fails on the hashes in
// `failing`.
class SingleBlobBackend final : public test::ForwardingBackend {
 public:
  [[nodiscard]] std::string describe() const override { return "single://"; }
  [[nodiscard]] Expected<bool> has_blob(const util::Hash128& hash) override {
    ++has_calls;
    if (failing.contains(hash)) {
      return fail("cannot reach {}", hash.hex());
    }
    return memory.has_blob(hash);
  }
  [[nodiscard]] Expected<void> put_blob(const util::Hash128& hash, const fs::path& source,
                                        std::uint64_t size) override {
    put_hashes.push_back(hash);
    return memory.put_blob(hash, source, size);
  }
  [[nodiscard]] Expected<void> get_blob(const util::Hash128& hash,
                                        const fs::path& destination) override {
    ++get_calls;
    return memory.get_blob(hash, destination);
  }
  [[nodiscard]] Expected<BlobState> check_blob(const util::Hash128& hash) override {
    ++check_calls;
    if (failing.contains(hash)) {
      return fail("cannot reach {}", hash.hex());
    }
    return memory.check_blob(hash);
  }

  std::set<util::Hash128> failing;
  std::size_t has_calls = 0;
  std::size_t get_calls = 0;
  std::size_t check_calls = 0;
  std::vector<util::Hash128> put_hashes;
};

class BackendTest : public ::testing::Test {
 protected:
  // Write `content` to a file and return its upload.
  BlobUpload upload(const std::string& name, const std::string& content) {
    test::write_text(m_tmp / "src" / name, content);
    return BlobUpload{util::hash_bytes(content), m_tmp / "src" / name, content.size()};
  }

  test::TempDir m_tmp;
  SingleBlobBackend m_backend;
};

TEST_F(BackendTest, HasBlobsAnswersForEachHashInOrder) {
  const auto a = upload("a", "A");
  const auto b = upload("b", "B");
  ASSERT_TRUE(m_backend.put_blob(b.hash, b.source, b.size));
  const auto present = m_backend.has_blobs({a.hash, b.hash, a.hash});
  ASSERT_TRUE(present) << present.error().message;
  EXPECT_EQ(*present, (std::vector<bool>{false, true, false}));
  EXPECT_TRUE(m_backend.has_blobs({})->empty());

  m_backend.failing.insert(b.hash);
  const auto failed = m_backend.has_blobs({a.hash, b.hash});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find(b.hash.hex()), std::string::npos);
}

TEST_F(BackendTest, PutBlobsStoresOnlyWhatIsMissing) {
  const auto a = upload("a", "A");
  const auto b = upload("b", "BB");
  const auto c = upload("c", "CCC");
  ASSERT_TRUE(m_backend.put_blob(b.hash, b.source, b.size));
  m_backend.put_hashes.clear();
  ASSERT_TRUE(m_backend.put_blobs({a, b, c}));
  EXPECT_EQ(m_backend.put_hashes, (std::vector<util::Hash128>{a.hash, c.hash}));
  EXPECT_EQ(*m_backend.has_blobs({a.hash, b.hash, c.hash}), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(m_backend.memory.blob_writes(), 3U);
}

TEST_F(BackendTest, PutBlobsReturnsTheFirstFailure) {
  const auto a = upload("a", "A");
  auto wrong_size = upload("b", "BB");
  wrong_size.size = 5;
  const auto c = upload("c", "CCC");
  const auto stored = m_backend.put_blobs({a, wrong_size, c});
  ASSERT_FALSE(stored);
  EXPECT_NE(stored.error().message.find("src/b"), std::string::npos) << stored.error().message;
  EXPECT_FALSE(*m_backend.has_blob(wrong_size.hash));
  m_backend.failing.insert(c.hash);
  EXPECT_FALSE(m_backend.put_blobs({c}));
  EXPECT_TRUE(m_backend.put_blobs({}));
}

TEST_F(BackendTest, GetBlobsFetchesEachOrReturnsTheFirstFailure) {
  const auto a = upload("a", "A");
  const auto b = upload("b", "BB");
  ASSERT_TRUE(m_backend.put_blobs({a, b}));
  ASSERT_TRUE(m_backend.get_blobs(
      {{a.hash, m_tmp / "out/a", a.size}, {b.hash, m_tmp / "out/sub/b", b.size}}));
  EXPECT_EQ(test::read_text(m_tmp / "out/a"), "A");
  EXPECT_EQ(test::read_text(m_tmp / "out/sub/b"), "BB");

  m_backend.get_calls = 0;
  const auto missing = util::hash_bytes("never stored");
  const auto fetched = m_backend.get_blobs({{a.hash, m_tmp / "again/a", std::nullopt},
                                            {missing, m_tmp / "again/m", std::nullopt},
                                            {b.hash, m_tmp / "again/b", std::nullopt}});
  ASSERT_FALSE(fetched);
  EXPECT_NE(fetched.error().message.find(missing.hex()), std::string::npos);
  EXPECT_FALSE(fs::exists(m_tmp / "again/m"));
  EXPECT_EQ(m_backend.get_calls, 2U);  // stops at the first failure
}

TEST_F(BackendTest, CheckBlobsChecksEachInOrderOrReturnsTheFirstFailure) {
  const auto a = upload("a", "A");
  const auto b = upload("b", "BB");
  ASSERT_TRUE(m_backend.put_blobs({a, b}));
  m_backend.memory.corrupt_blob(b.hash, "Bb");
  const auto missing = util::hash_bytes("never stored");
  const auto states = m_backend.check_blobs({a.hash, b.hash, missing, a.hash});
  ASSERT_TRUE(states) << states.error().message;
  EXPECT_EQ(*states, (std::vector<BlobState>{BlobState::intact, BlobState::corrupt,
                                             BlobState::missing, BlobState::intact}));
  EXPECT_TRUE(m_backend.check_blobs({})->empty());

  m_backend.check_calls = 0;
  m_backend.failing.insert(b.hash);
  const auto failed = m_backend.check_blobs({a.hash, b.hash, missing});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find(b.hash.hex()), std::string::npos);
  EXPECT_EQ(m_backend.check_calls, 2U);  // stops at the first failure
}

TEST(BlobRelPathTest, IsTheLayoutOfTheStore) {
  // `xxhsum -H2` of an empty file: 99aa06d3014798d86001c324468d497f.
  EXPECT_EQ(blob_rel_path(util::hash_bytes("")), "cas/99/aa06d3014798d86001c324468d497f");
}

}  // namespace
}  // namespace qa::store
