#include <qa/store/store.hpp>

#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>

#include <qa/store/memory_backend.hpp>
#include <qa/util/hash.hpp>

#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() {
    auto backend = std::make_unique<MemoryBackend>();
    m_memory = backend.get();
    m_store = std::make_unique<Store>(std::move(backend));
  }

  // A record of `key` whose outputs are `files` (name -> content), written to the output folder.
  core::RunRecord make_record(const std::string& key,
                              const std::map<std::string, std::string>& files) {
    core::RunRecord record;
    record.project = "acme/denoise";
    record.commit = k_sha;
    record.key = key;
    record.label = key.substr(0, key.find('/'));
    record.input = "a.png";
    record.status = core::RunStatus::ok;
    for (const auto& [name, content] : files) {
      test::write_text(m_tmp / "out" / name, content);
      const auto digest = *util::hash_file(m_tmp / "out" / name);
      record.files[name] = core::FileEntry{digest.hash, digest.size};
    }
    return record;
  }

  test::TempDir m_tmp;
  MemoryBackend* m_memory = nullptr;
  std::unique_ptr<Store> m_store;
};

TEST_F(StoreTest, RecordPathFollowsTheLayout) {
  EXPECT_EQ(Store::record_path("acme/denoise", k_sha, "default/base/a.png"),
            "acme/denoise/commits/01/23456789abcdef0123456789abcdef01234567/default/base/a.png/"
            "run.json");
}

TEST_F(StoreTest, PutRunStoresBlobsThenTheRecordWhichReadsBack) {
  const auto record = make_record("default/base/a.png", {{"a.txt", "A"}, {"sub/b.txt", "B"}});
  ASSERT_TRUE(m_store->put_run(record, m_tmp / "out"));
  EXPECT_EQ(m_memory->blob_writes(), 2U);
  const auto read = m_store->get_run("acme/denoise", k_sha, "default/base/a.png");
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(core::to_json(**read), core::to_json(record));
  EXPECT_FALSE(m_store->get_run("acme/denoise", k_sha, "default/base/b.png")->has_value());
}

TEST_F(StoreTest, ARecordStoredUnderAnotherRunsKeyIsRefused) {
  const auto b = make_record("default/base/b.png", {});
  ASSERT_TRUE(m_store->put_run(b, m_tmp / "out"));
  // Someone copied b's record over a's place.
  ASSERT_TRUE(m_memory->put_document(
      Store::record_path("acme/denoise", k_sha, "default/base/a.png"), core::to_json(b).dump()));
  const auto one = m_store->get_run("acme/denoise", k_sha, "default/base/a.png");
  ASSERT_FALSE(one);
  EXPECT_NE(one.error().message.find("holds the run \"default/base/b.png\""), std::string::npos)
      << one.error().message;
  const auto many = m_store->get_runs("acme/denoise", k_sha, {"default/base/a.png"});
  ASSERT_FALSE(many);
}

TEST_F(StoreTest, IdenticalOutputsTravelOnce) {
  ASSERT_TRUE(m_store->put_run(make_record("default/base/a.png", {{"x", "same"}}), m_tmp / "out"));
  ASSERT_TRUE(m_store->put_run(make_record("default/base/b.png", {{"y", "same"}}), m_tmp / "out"));
  EXPECT_EQ(m_memory->blob_writes(), 1U);
}

TEST_F(StoreTest, NoRecordWhenABlobCannotBeStored) {
  auto record = make_record("default/base/a.png", {{"a.txt", "A"}});
  record.files["missing.txt"] = core::FileEntry{util::hash_bytes("never written"), 13};
  ASSERT_FALSE(m_store->put_run(record, m_tmp / "out"));
  EXPECT_FALSE(m_store->get_run("acme/denoise", k_sha, "default/base/a.png")->has_value());
}

TEST_F(StoreTest, InvalidIdentitiesAreRefused) {
  auto record = make_record("default/base/a.png", {});
  record.commit = "HEAD";
  EXPECT_FALSE(m_store->put_run(record, m_tmp / "out"));
  record.commit = k_sha;
  record.key = "../../etc";
  EXPECT_FALSE(m_store->put_run(record, m_tmp / "out"));
  record.key = "default/base/a.png";
  record.project = "../x";
  EXPECT_FALSE(m_store->put_run(record, m_tmp / "out"));
}

TEST_F(StoreTest, ListRunsReturnsEveryRecordOfACommitSorted) {
  ASSERT_TRUE(m_store->put_run(make_record("default/base/b.png", {}), m_tmp.path()));
  ASSERT_TRUE(m_store->put_run(make_record("default/base/a.png", {}), m_tmp.path()));
  ASSERT_TRUE(m_store->put_run(make_record("nightly/x/a.png", {}), m_tmp.path()));
  const auto runs = m_store->list_runs("acme/denoise", k_sha);
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 3U);
  EXPECT_EQ((*runs)[0].key, "default/base/a.png");
  EXPECT_EQ((*runs)[1].key, "default/base/b.png");
  EXPECT_EQ((*runs)[2].key, "nightly/x/a.png");
  EXPECT_TRUE(m_store->list_runs("acme/denoise", std::string(40, 'f'))->empty());
}

TEST_F(StoreTest, ListRunsReadsOnlyTheKeysAsked) {
  ASSERT_TRUE(m_store->put_run(make_record("default/base/a.png", {}), m_tmp.path()));
  ASSERT_TRUE(m_store->put_run(make_record("nightly/x/a.png", {}), m_tmp.path()));
  const auto runs = m_store->list_runs(
      "acme/denoise", k_sha, [](std::string_view key) { return key.starts_with("nightly/"); });
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 1U);
  EXPECT_EQ((*runs)[0].key, "nightly/x/a.png");
}

TEST_F(StoreTest, GetRunsKeepsTheOrderOfTheKeys) {
  // More keys than one parallel chunk holds, so that order across chunks is checked too.
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) {
    keys.push_back(fmt::format("default/base/{:04}.png", i));
  }
  for (int i = 0; i < 5000; i += 2) {  // every other key has a record
    ASSERT_TRUE(m_store->put_run(make_record(keys[static_cast<std::size_t>(i)], {}), m_tmp.path()));
  }
  std::reverse(keys.begin(), keys.end());
  const auto runs = m_store->get_runs("acme/denoise", k_sha, keys);
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool stored = (4999 - i) % 2 == 0;
    ASSERT_EQ((*runs)[i].has_value(), stored) << keys[i];
    if (stored) {
      EXPECT_EQ((*runs)[i]->key, keys[i]);
    }
  }
  EXPECT_FALSE(m_store->get_runs("acme/denoise", k_sha, {"not a key"}));
  EXPECT_FALSE(m_store->get_runs("acme/denoise", "HEAD", {"default/base/a.png"}));
}

TEST_F(StoreTest, BranchIndexRoundTrips) {
  EXPECT_FALSE(m_store->get_branch("acme/denoise", "feature/x")->has_value());
  ASSERT_TRUE(m_store->put_branch("acme/denoise", BranchIndex{"feature/x", k_sha, ""}));
  const auto index = m_store->get_branch("acme/denoise", "feature/x");
  ASSERT_TRUE(index && index->has_value());
  EXPECT_EQ((*index)->commit, k_sha);
  EXPECT_FALSE((*index)->updated_at.empty());
  EXPECT_FALSE(m_store->get_branch("acme/denoise", "feature-x")->has_value());
}

TEST_F(StoreTest, ABranchIndexWhoseCommitIsNoShaIsRefused) {
  ASSERT_TRUE(m_memory->put_document("acme/denoise/branches/main.json",
                                     R"({"schema": "qa.branch/1", "commit": "../../x"})"));
  const auto index = m_store->get_branch("acme/denoise", "main");
  ASSERT_FALSE(index);
  EXPECT_NE(index.error().message.find("invalid branch index"), std::string::npos);
  EXPECT_NE(index.error().message.find("invalid commit \"../../x\": expected a full hex sha"),
            std::string::npos)
      << index.error().message;
}

TEST_F(StoreTest, ABranchIndexKeepsItsChainOfPreviousCommits) {
  const std::string older(40, 'a');
  ASSERT_TRUE(m_store->put_branch("acme/denoise", BranchIndex{"main", k_sha, "", {older}}));
  auto index = m_store->get_branch("acme/denoise", "main");
  ASSERT_TRUE(index && index->has_value());
  EXPECT_EQ((*index)->previous, std::vector<std::string>{older});
  // Indexes written before the chain have none.
  ASSERT_TRUE(m_memory->put_document("acme/denoise/branches/old.json",
                                     R"({"schema": "qa.branch/1", "commit": ")" + k_sha + R"("})"));
  index = m_store->get_branch("acme/denoise", "old");
  ASSERT_TRUE(index && index->has_value());
  EXPECT_TRUE((*index)->previous.empty());
  for (const std::string previous : {R"("x")", R"(["../../x"])", R"([1])"}) {
    ASSERT_TRUE(m_memory->put_document("acme/denoise/branches/bad.json",
                                       R"({"schema": "qa.branch/1", "commit": ")" + k_sha +
                                           R"(", "previous": )" + previous + "}"));
    index = m_store->get_branch("acme/denoise", "bad");
    ASSERT_FALSE(index) << previous;
    EXPECT_NE(index.error().message.find("\"previous\""), std::string::npos)
        << index.error().message;
  }
  EXPECT_FALSE(m_store->put_branch("acme/denoise", BranchIndex{"main", k_sha, "", {"../x"}}));
}

TEST_F(StoreTest, OpenChoosesTheBackendByScheme) {
  auto local = Store::open((m_tmp / "local store").string());
  ASSERT_TRUE(local) << local.error().message;
  EXPECT_EQ(local->describe(), (m_tmp / "local store").string());
  auto file_url = Store::open("file://" + (m_tmp / "other").string());
  ASSERT_TRUE(file_url);
  EXPECT_TRUE(fs::is_directory(m_tmp / "other"));
  EXPECT_TRUE(Store::open("memory://"));
}

TEST_F(StoreTest, ReadOnlyStoresServeReadsAndRefuseWrites) {
  const fs::path root = m_tmp / "store";
  {
    auto writer = Store::open(root.string());
    ASSERT_TRUE(writer);
    ASSERT_TRUE(
        writer->put_run(make_record("default/base/a", {{"out.txt", "bytes"}}), m_tmp / "out"));
  }
  auto reader = Store::open(root.string(), Access::read_only);
  ASSERT_TRUE(reader) << reader.error().message;
  const auto record = reader->get_run("acme/denoise", k_sha, "default/base/a");
  ASSERT_TRUE(record && record->has_value());
  const auto& entry = (*record)->files.at("out.txt");
  ASSERT_TRUE(reader->get_blob(entry.hash, m_tmp / "fetched.txt"));
  EXPECT_EQ(test::read_text(m_tmp / "fetched.txt"), "bytes");

  const auto put = reader->put_run(make_record("default/base/b", {{"b.txt", "b"}}), m_tmp / "out");
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("read-only"), std::string::npos) << put.error().message;
  EXPECT_FALSE(reader->put_branch("acme/denoise", BranchIndex{"main", k_sha, ""}));
  EXPECT_FALSE(reader->get_run("acme/denoise", k_sha, "default/base/b")->has_value());
}

TEST_F(StoreTest, AMissingStoreOpenedReadOnlyIsEmptyAndNotCreated) {
  const fs::path root = m_tmp / "never written";
  auto reader = Store::open(root.string(), Access::read_only);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_FALSE(reader->get_run("acme/denoise", k_sha, "default/base/a")->has_value());
  const auto listed = reader->list_runs("acme/denoise", k_sha);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  EXPECT_FALSE(reader->get_branch("acme/denoise", "main")->has_value());
  EXPECT_FALSE(fs::exists(root)) << "a reader made the store folder";
}

TEST_F(StoreTest, DefaultLocationFollowsXdgThenHomeElseSaysWhatToSet) {
  const test::ScopedEnv home("HOME", "/home/u");
  {
    const test::ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
    EXPECT_EQ(*default_store_location(), fs::path("/xdg/qatools"));
  }
  const test::ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  EXPECT_EQ(*default_store_location(), fs::path("/home/u/.cache/qatools"));
  const test::ScopedEnv no_home("HOME", std::nullopt);
  const auto none = default_store_location();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::environment);
  EXPECT_NE(none.error().message.find("QA_STORE"), std::string::npos);
}

}  // namespace
}  // namespace qa::store
