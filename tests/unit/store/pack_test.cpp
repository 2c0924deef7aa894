#include <qa/store/pack.hpp>

#include <gtest/gtest.h>

#include <zstd.h>

namespace qa::store {
namespace {

const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

core::RunRecord make_record(const std::string& key, const std::string& commit = k_sha) {
  core::RunRecord record;
  record.project = "acme/denoise";
  record.commit = commit;
  record.key = key;
  record.label = "default";
  record.input = "a.png";
  record.status = core::RunStatus::ok;
  record.metrics["psnr"] = 31.5;
  record.started_at = "2026-11-30T10:00:00Z";
  return record;
}

Pack make_pack(std::size_t count) {
  Pack pack{"acme/denoise", k_sha, 1'780'000'000'000'000'000, {}};
  for (std::size_t i = 0; i < count; ++i) {
    pack.records.push_back(make_record(fmt::format("default/base/input-{:05}", i)));
  }
  return pack;
}

TEST(PackTest, FolderAndNameFollowTheLayout) {
  EXPECT_EQ(pack_folder("acme/denoise", k_sha),
            "acme/denoise/packs/01/23456789abcdef0123456789abcdef01234567");
  const std::string name = pack_name({"default/base/b", "default/base/a"});
  EXPECT_EQ(name, pack_name({"default/base/a", "default/base/b"})) << "order does not matter";
  EXPECT_NE(name, pack_name({"default/base/a"}));
  EXPECT_EQ(name.size(), 16 + std::string(".pack").size());
  EXPECT_TRUE(is_pack_name(name));
  EXPECT_FALSE(is_pack_name("index.json"));
  EXPECT_FALSE(is_pack_name(".tmp.0123.pack"));
  EXPECT_FALSE(is_pack_name("sub/0123.pack"));
}

TEST(PackTest, ASmallPackIsPlainJsonLinesAndReadsBack) {
  const Pack pack = make_pack(1);
  const std::string bytes = encode_pack(pack);
  EXPECT_EQ(bytes.front(), '{') << "not compressed";
  EXPECT_NE(bytes.find(R"("schema":"qa.pack/1")"), std::string::npos);
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), '\n'), 2);
  const auto read = decode_pack(bytes, "p.pack");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->project, "acme/denoise");
  EXPECT_EQ(read->commit, k_sha);
  EXPECT_EQ(read->written_ns, pack.written_ns);
  ASSERT_EQ(read->records.size(), 1U);
  EXPECT_EQ(core::to_json(read->records[0]), core::to_json(pack.records[0]));
}

TEST(PackTest, ALargePackIsCompressedAndReadsBackWhole) {
  const Pack pack = make_pack(2000);
  const std::string bytes = encode_pack(pack);
  ASSERT_GE(bytes.size(), 4U);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x28) << "zstd frame magic";
  std::size_t plain = 0;
  for (const auto& record : pack.records) {
    plain += core::to_json(record).dump().size();
  }
  EXPECT_LT(bytes.size() * 5, plain) << "records compress well";
  const auto read = decode_pack(bytes, "p.pack");
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->records.size(), pack.records.size());
  for (std::size_t i = 0; i < pack.records.size(); ++i) {
    EXPECT_EQ(read->records[i].key, pack.records[i].key);
  }
}

TEST(PackTest, ATruncatedPackIsRefusedAsAWhole) {
  const std::string bytes = encode_pack(make_pack(2000));
  const auto cut = decode_pack(std::string_view(bytes).substr(0, bytes.size() / 2), "p.pack");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("\"p.pack\""), std::string::npos) << cut.error().message;

  std::string plain = encode_pack(make_pack(1));
  plain.resize(plain.rfind('\n', plain.size() - 2) + 1);  // the record line dropped
  const auto short_pack = decode_pack(plain, "p.pack");
  ASSERT_FALSE(short_pack);
  EXPECT_NE(short_pack.error().message.find("announces 1 records, it holds 0"), std::string::npos)
      << short_pack.error().message;
}

TEST(PackTest, ABadRecordLineRefusesThePack) {
  std::string text = encode_pack(make_pack(1));
  text += "{\"schema\": \"qa.run/1\"}\n";
  text.replace(text.find("\"records\":1"), 11, "\"records\":2");
  const auto read = decode_pack(text, "p.pack");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("p.pack line 3"), std::string::npos) << read.error().message;
}

TEST(PackTest, ARecordOfAnotherCommitRefusesThePack) {
  Pack pack = make_pack(2);
  pack.records[1] = make_record("default/base/x", std::string(40, 'f'));
  const auto read = decode_pack(encode_pack(pack), "p.pack");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("belongs to commit ffffffffffff"), std::string::npos)
      << read.error().message;
}

TEST(PackTest, NotAPackIsRefused) {
  for (const std::string text : {"", "\n", "[]\n", "{\"schema\": 3}\n",
                                 "{\"schema\": \"qa.run/1\"}\n", "\x28\xb5\x2f\xfd garbage"}) {
    const auto read = decode_pack(text, "p.pack");
    EXPECT_FALSE(read) << text;
  }
}

TEST(PackTest, TheIndexNamesPacksOnly) {
  const std::string text = encode_pack_index({"0123456789abcdef.pack"});
  const auto names = decode_pack_index(text, "index.json");
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, std::vector<std::string>{"0123456789abcdef.pack"});
  const auto odd = decode_pack_index(
      R"({"schema": "qa.pack-index/1", "packs": ["../../x.pack", 3, "a.pack", "index.json"]})",
      "index.json");
  ASSERT_TRUE(odd);
  EXPECT_EQ(*odd, std::vector<std::string>{"a.pack"});
  EXPECT_FALSE(decode_pack_index("{}", "index.json"));
  EXPECT_FALSE(decode_pack_index("not json", "index.json"));
}

// A compressed pack is read a few megabytes of text at a time: its records all arrive, and a
// bad line far into it is named by its line number in the whole pack.
TEST(PackTest, ALargeCompressedPackIsReadInPiecesAndNamesABadLineByItsNumber) {
  Pack pack = make_pack(30000);
  for (auto& record : pack.records) {
    record.output_dir = std::string(200, 'o');  // about 8 MiB of text: several pieces
  }
  const std::string bytes = encode_pack(pack);
  const auto read = decode_pack(bytes, "p.pack");
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->records.size(), pack.records.size());
  EXPECT_EQ(read->records.back().key, pack.records.back().key);
  EXPECT_EQ(read->records[12345].output_dir, pack.records[12345].output_dir);

  // The same text, its record 25,000 (line 25,002) broken, compressed again.
  std::string text;
  text.resize(ZSTD_getFrameContentSize(bytes.data(), bytes.size()));
  ASSERT_EQ(ZSTD_decompress(text.data(), text.size(), bytes.data(), bytes.size()), text.size());
  const std::string key = "\"default/base/input-25000\"";
  text.replace(text.find(key), key.size(), "3");
  std::string broken(ZSTD_compressBound(text.size()), '\0');
  broken.resize(ZSTD_compress(broken.data(), broken.size(), text.data(), text.size(), 1));
  const auto refused = decode_pack(broken, "p.pack");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("p.pack line 25002"), std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace qa::store
