// The Store's packs: written by put_pack, read before single records (store/pack.hpp).
#include <qa/store/store.hpp>

#include <gtest/gtest.h>

#include <qa/store/local_backend.hpp>
#include <qa/store/pack.hpp>
#include <qa/util/hash.hpp>

#include "support/forwarding_backend.hpp"
#include "support/temp_dir.hpp"

namespace qa::store {
namespace {

namespace fs = std::filesystem;

const std::string k_project = "acme/denoise";
const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

// A backend that cannot list (a plain http server): packs are found through their index.
class UnlistableBackend : public test::ForwardingBackend {
 public:
  [[nodiscard]] Expected<std::vector<std::string>> list_documents(std::string_view) override {
    return fail("cannot list: the server has no folder listings");
  }
};

class StorePacksTest : public ::testing::Test {
 protected:
  StorePacksTest() {
    auto backend = LocalBackend::open(m_tmp / "store", Access::read_write);
    EXPECT_TRUE(backend);
    m_store = std::make_unique<Store>(std::move(*backend));
  }

  // A record of `key` with one output whose content is `content`, stored in the store.
  core::RunRecord record(const std::string& key, const std::string& content = "out",
                         const std::string& started_at = "2026-11-30T10:00:00Z") {
    core::RunRecord record;
    record.project = k_project;
    record.commit = k_sha;
    record.key = key;
    record.input = key.substr(key.rfind('/') + 1);
    record.status = core::RunStatus::ok;
    record.started_at = started_at;
    const fs::path out = m_tmp / "out" / key;
    test::write_text(out / "a.txt", content);
    const auto digest = *util::hash_file(out / "a.txt");
    record.files["a.txt"] = core::FileEntry{digest.hash, digest.size};
    EXPECT_TRUE(m_store->put_run(record, out));
    return record;
  }

  fs::path loose_path(const std::string& key) const {
    return m_tmp / "store" / Store::record_path(k_project, k_sha, key);
  }

  std::vector<std::string> keys_of(const std::vector<core::RunRecord>& records) {
    std::vector<std::string> keys;
    for (const auto& r : records) {
      keys.push_back(r.key);
    }
    return keys;
  }

  test::TempDir m_tmp;
  std::unique_ptr<Store> m_store;
};

TEST_F(StorePacksTest, AStoreWithoutPacksReadsAsBefore) {
  record("default/base/a");
  record("default/base/b");
  const auto has = m_store->has_packs(k_project, k_sha);
  ASSERT_TRUE(has);
  EXPECT_FALSE(*has);
  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed), (std::vector<std::string>{"default/base/a", "default/base/b"}));
}

TEST_F(StorePacksTest, ReadersTakeRunsFromThePackWithoutTheSingleRecords) {
  std::vector<core::RunRecord> records{record("default/base/a"), record("default/base/b")};
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a", "default/base/b"}, records));
  ASSERT_TRUE(*m_store->has_packs(k_project, k_sha));
  EXPECT_TRUE(*m_store->has_single_run(k_project, k_sha, "default/base/a"));
  EXPECT_FALSE(*m_store->has_single_run(k_project, k_sha, "default/base/z"));
  const auto single = m_store->get_single_run(k_project, k_sha, "default/base/b");
  ASSERT_TRUE(single && *single) << "the record a run writes alone";
  EXPECT_EQ(core::to_json(**single), core::to_json(records[1]));
  // Without their single records, the runs are still read: from the pack.
  fs::remove_all(m_tmp / "store" / Store::commit_folder(k_project, k_sha));
  EXPECT_FALSE(*m_store->has_single_run(k_project, k_sha, "default/base/a"));
  EXPECT_FALSE(*m_store->get_single_run(k_project, k_sha, "default/base/b"));
  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed), (std::vector<std::string>{"default/base/a", "default/base/b"}));
  const auto one = m_store->get_run(k_project, k_sha, "default/base/b");
  ASSERT_TRUE(one && *one);
  EXPECT_EQ(core::to_json(**one), core::to_json(records[1]));
  const auto filtered =
      m_store->list_runs(k_project, k_sha, [](std::string_view key) { return key.ends_with("a"); });
  ASSERT_TRUE(filtered);
  EXPECT_EQ(keys_of(*filtered), std::vector<std::string>{"default/base/a"});
}

TEST_F(StorePacksTest, AKeyAskedTwiceIsAnsweredTwice) {
  const auto a = record("default/base/a");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a"}, {a}));
  record("default/base/b");
  const auto runs = m_store->get_runs(
      k_project, k_sha, {"default/base/a", "default/base/b", "default/base/a", "default/base/b"});
  ASSERT_TRUE(runs) << runs.error().message;
  for (const auto& run : *runs) {
    EXPECT_TRUE(run);
  }
  EXPECT_EQ((*runs)[2]->key, "default/base/a");
  EXPECT_EQ((*runs)[3]->key, "default/base/b");
}

TEST_F(StorePacksTest, SingleRecordsServeTheRunsNoPackHolds) {
  const auto a = record("default/base/a");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a"}, {a}));
  record("default/base/b");  // recorded after the pack, by a batch that did not finish
  const auto runs =
      m_store->get_runs(k_project, k_sha, {"default/base/a", "default/base/b", "default/base/c"});
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 3U);
  EXPECT_TRUE((*runs)[0]);
  ASSERT_TRUE((*runs)[1]);
  EXPECT_EQ((*runs)[1]->key, "default/base/b");
  EXPECT_FALSE((*runs)[2]);
}

TEST_F(StorePacksTest, TheFirstPackTakesTheSingleRecordsAlreadyStored) {
  record("default/base/by-qa-run");
  const auto b = record("default/base/b");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/b"}, {b}));
  fs::remove_all(m_tmp / "store" / Store::commit_folder(k_project, k_sha));
  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed),
            (std::vector<std::string>{"default/base/b", "default/base/by-qa-run"}));
}

TEST_F(StorePacksTest, APackWithARecordWhoseBlobIsMissingIsRefusedAsAWhole) {
  const auto a = record("default/base/a");
  auto b = record("default/base/b", "other");
  b.files["missing.txt"] = core::FileEntry{util::hash_bytes("never stored"), 12};
  const auto written =
      m_store->put_pack(k_project, k_sha, {"default/base/a", "default/base/b"}, {a, b});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find(util::hash_bytes("never stored").hex()), std::string::npos)
      << written.error().message;
  EXPECT_NE(written.error().message.find("\"default/base/b\""), std::string::npos);
  EXPECT_FALSE(fs::exists(m_tmp / "store" / pack_folder(k_project, k_sha)));
  EXPECT_FALSE(*m_store->has_packs(k_project, k_sha));
}

TEST_F(StorePacksTest, TheRunThatStartedLastWinsAcrossPacks) {
  const auto old_a = record("default/base/a", "old", "2026-11-30T10:00:00Z");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a", "default/base/b"}, {old_a}));
  const auto new_a = record("default/base/a", "new", "2026-11-30T11:00:00Z");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a"}, {new_a}));
  // A later pack holding the older record (a long batch finishing last) does not win either.
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a", "default/base/c"}, {old_a}));
  const auto got = m_store->get_run(k_project, k_sha, "default/base/a");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->files.at("a.txt").hash, new_a.files.at("a.txt").hash);
}

TEST_F(StorePacksTest, ADamagedPackFallsBackToTheSingleRecords) {
  std::vector<core::RunRecord> records{record("default/base/a"), record("default/base/b")};
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a", "default/base/b"}, records));
  const fs::path pack = m_tmp / "store" / pack_folder(k_project, k_sha) /
                        pack_name({"default/base/a", "default/base/b"});
  ASSERT_TRUE(fs::exists(pack));
  test::write_text(pack, test::read_text(pack).substr(0, 40));
  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed), (std::vector<std::string>{"default/base/a", "default/base/b"}));
}

TEST_F(StorePacksTest, ABackendThatCannotListFindsPacksThroughTheIndex) {
  auto backend = std::make_unique<UnlistableBackend>();
  Store store(std::move(backend));
  core::RunRecord a;
  a.project = k_project;
  a.commit = k_sha;
  a.key = "default/base/a";
  a.input = "a";
  a.status = core::RunStatus::ok;
  ASSERT_TRUE(store.put_run(a, m_tmp.path()));
  ASSERT_TRUE(store.put_pack(k_project, k_sha, {"default/base/a"}, {a}));
  const auto listed = store.list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed), std::vector<std::string>{"default/base/a"});
}

TEST_F(StorePacksTest, APackOfAnotherCommitsRecordIsRefused) {
  auto a = record("default/base/a");
  a.commit = std::string(40, 'f');
  const auto written = m_store->put_pack(k_project, k_sha, {"default/base/a"}, {a});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("cannot pack the run"), std::string::npos);
}

TEST_F(StorePacksTest, AReadOnlyStoreWritesNoPack) {
  auto backend = LocalBackend::open(m_tmp / "store", Access::read_only);
  ASSERT_TRUE(backend);
  Store store(std::move(*backend), Access::read_only);
  const auto written = store.put_pack(k_project, k_sha, {"default/base/a"}, {});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("read-only"), std::string::npos);
}

TEST_F(StorePacksTest, PackCommitGathersPacksAndSingleRecordsIntoOnePack) {
  const auto a = record("default/base/a", "old");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {"default/base/a"}, {a}));
  record("default/base/a", "new", "2026-11-30T11:00:00Z");  // rerun after the pack
  record("default/base/b");
  const auto count = m_store->pack_commit(k_project, k_sha);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 2U);
  const fs::path packs = m_tmp / "store" / pack_folder(k_project, k_sha);
  const std::string name = pack_name({"default/base/a", "default/base/b"});
  EXPECT_FALSE(fs::exists(packs / pack_name({"default/base/a"}))) << "the replaced pack is gone";
  EXPECT_TRUE(fs::exists(packs / name));
  EXPECT_EQ(*decode_pack_index(test::read_text(packs / "index.json"), "index.json"),
            std::vector<std::string>{name});
  fs::remove_all(m_tmp / "store" / Store::commit_folder(k_project, k_sha));
  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(keys_of(*listed), (std::vector<std::string>{"default/base/a", "default/base/b"}));
  EXPECT_EQ((*listed)[0].started_at, "2026-11-30T11:00:00Z") << "the rerun's record";
}

// The packs of a sharded batch hold interleaved keys (shard = plan index mod N): the runs read
// are sorted by key, one per key (the later record of a run in two packs), and answered for any
// order of keys asked.
TEST_F(StorePacksTest, ShardPacksOfInterleavedKeysReadAsOneSortedCommit) {
  const std::vector<std::string> keys{"default/base/a", "default/base/b", "default/base/c",
                                      "default/base/d", "default/base/e"};
  std::vector<core::RunRecord> even{record(keys[4]), record(keys[0]), record(keys[2])};
  std::vector<core::RunRecord> odd{record(keys[3]), record(keys[1])};
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {keys[0], keys[2], keys[4]}, even));
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {keys[1], keys[3]}, odd));
  // A rerun of c, packed by a third shard job.
  const auto rerun = record(keys[2], "rerun", "2026-11-30T12:00:00Z");
  ASSERT_TRUE(m_store->put_pack(k_project, k_sha, {keys[2]}, {rerun}));
  fs::remove_all(m_tmp / "store" / Store::commit_folder(k_project, k_sha));

  const auto listed = m_store->list_runs(k_project, k_sha);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(keys_of(*listed), keys);
  EXPECT_EQ((*listed)[2].started_at, "2026-11-30T12:00:00Z");

  const std::vector<std::string> asked{keys[4],          keys[0], keys[2],
                                       "default/base/z", keys[3], keys[1]};
  const auto runs = m_store->get_runs(k_project, k_sha, asked);
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), asked.size());
  for (std::size_t i = 0; i < asked.size(); ++i) {
    if (asked[i] == "default/base/z") {
      EXPECT_FALSE((*runs)[i]);
    } else {
      ASSERT_TRUE((*runs)[i]) << asked[i];
      EXPECT_EQ((*runs)[i]->key, asked[i]);
    }
  }
  EXPECT_EQ((*runs)[2]->files.at("a.txt").hash, rerun.files.at("a.txt").hash);
}

}  // namespace
}  // namespace qa::store
