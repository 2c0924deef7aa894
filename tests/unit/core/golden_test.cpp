// The golden manifest format, qa.golden/1: its stable text, reading it back, and the errors of a
// file that is not one.
#include <qa/core/golden.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

namespace fs = std::filesystem;
using qa::test::read_text;
using qa::test::TempDir;
using qa::test::write_text;

FileEntry entry(std::string_view content) {
  return FileEntry{util::hash_bytes(content), content.size()};
}

Golden sample() {
  // Inserted out of order: the text sorts them.
  Golden golden{"default/base/images-a.png", "images/a.png", {}};
  golden.files.emplace("z.txt", entry("z"));
  golden.files.emplace("b/out.png", entry("png"));
  golden.files.emplace("a.bin", entry(""));
  return golden;
}

TEST(GoldenTest, TextIsSortedIndentedAndEndsWithANewline) {
  const std::string expected =
      "{\n"
      "  \"files\": {\n"
      "    \"a.bin\": {\n"
      "      \"size\": 0,\n"
      "      \"xxh128\": \"" +
      entry("").hash.hex() +
      "\"\n"
      "    },\n"
      "    \"b/out.png\": {\n"
      "      \"size\": 3,\n"
      "      \"xxh128\": \"" +
      entry("png").hash.hex() +
      "\"\n"
      "    },\n"
      "    \"z.txt\": {\n"
      "      \"size\": 1,\n"
      "      \"xxh128\": \"" +
      entry("z").hash.hex() +
      "\"\n"
      "    }\n"
      "  },\n"
      "  \"input\": \"images/a.png\",\n"
      "  \"key\": \"default/base/images-a.png\",\n"
      "  \"schema\": \"qa.golden/1\"\n"
      "}\n";
  EXPECT_EQ(golden_to_text(sample()), expected);
  // xxhsum -H2 of the empty input: the hashes are the canonical ones.
  EXPECT_EQ(entry("").hash.hex(), "99aa06d3014798d86001c324468d497f");
}

TEST(GoldenTest, NoFilesIsAnEmptyObject) {
  const Golden golden{"default/default/a.in", "a.in", {}};
  EXPECT_NE(golden_to_text(golden).find("\"files\": {},\n"), std::string::npos)
      << golden_to_text(golden);
}

TEST(GoldenTest, RoundTrip) {
  const Golden golden = sample();
  const auto parsed = parse_golden(golden_to_text(golden), "g.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, golden);
  EXPECT_EQ(golden_to_text(*parsed), golden_to_text(golden));
}

TEST(GoldenTest, PathNestsTheKeyAndRefusesUnsafeKeys) {
  const auto path = golden_path("golden", "default/base/images-a.png");
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, fs::path("golden/default/base/images-a.png.json"));
  EXPECT_FALSE(golden_path("golden", "../../etc"));
  EXPECT_FALSE(golden_path("golden", "default/../x"));
}

TEST(GoldenTest, WriteCreatesFoldersAndLeavesTheSameBytesUntouched) {
  const TempDir tmp;
  const fs::path dir = tmp / "golden";
  const Golden golden = sample();
  const auto first = write_golden(dir, golden);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, GoldenWrite::written);
  const fs::path file = dir / "default/base/images-a.png.json";
  EXPECT_EQ(read_text(file), golden_to_text(golden));

  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(file, old_time);
  const auto again = write_golden(dir, golden);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, GoldenWrite::unchanged);
  EXPECT_EQ(fs::last_write_time(file), old_time) << "the file was written again";

  Golden changed = golden;
  changed.files.erase("z.txt");
  const auto third = write_golden(dir, changed);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(*third, GoldenWrite::written);
  EXPECT_EQ(read_text(file), golden_to_text(changed));
  for (const auto& item : fs::directory_iterator(file.parent_path())) {
    EXPECT_EQ(item.path(), file) << "a temporary file was left behind";
  }
}

TEST(GoldenTest, ReadReturnsTheGoldenOrNothing) {
  const TempDir tmp;
  const Golden golden = sample();
  ASSERT_TRUE(write_golden(tmp.path(), golden));
  const auto read = read_golden(tmp.path(), golden.key);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, golden);

  const auto missing = read_golden(tmp.path(), "default/base/other.png");
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(missing->has_value());
  const auto no_folder = read_golden(tmp / "nowhere", golden.key);
  ASSERT_TRUE(no_folder) << no_folder.error().message;
  EXPECT_FALSE(no_folder->has_value());
}

// Read `text` as the golden manifest of default/base/a.in; return the error message.
std::string error_of(const TempDir& tmp, const std::string& text) {
  write_text(tmp / "golden/default/base/a.in.json", text);
  const auto read = read_golden(tmp / "golden", "default/base/a.in");
  EXPECT_FALSE(read) << "accepted: " << text;
  if (read) {
    return "";
  }
  EXPECT_EQ(read.error().kind, ErrorKind::config) << read.error().message;
  EXPECT_EQ(read.error().message.find('\n'), std::string::npos) << read.error().message;
  return read.error().message;
}

TEST(GoldenTest, AMalformedFileIsAnErrorNamingIt) {
  const TempDir tmp;
  const std::string file = quote((tmp / "golden/default/base/a.in.json").string());
  const std::string head = "cannot read golden manifest " + file + ": ";
  const std::string hash(32, 'a');
  EXPECT_EQ(error_of(tmp, "{\n  \"files\": {\n<<<<<<< HEAD\n"), head + "not valid JSON (line 3)");
  EXPECT_EQ(error_of(tmp, "[]"), head + "expected a JSON object");
  EXPECT_EQ(error_of(tmp, R"({"files": {"out": {"size": 1e999, "xxh128": "x"}}})"),
            head + "not valid JSON (a number out of range)");
  EXPECT_EQ(error_of(tmp, R"({"files": {}, "input": "a.in", "key": "default/base/a.in"})"),
            head + "\"schema\" must be a string");
  EXPECT_EQ(error_of(tmp, R"({"files": {}, "input": "a.in", "key": "default/base/a.in",
                               "schema": "qa.golden/2"})"),
            head + "schema \"qa.golden/2\" is not \"qa.golden/1\"");
  EXPECT_EQ(error_of(tmp, R"({"files": {}, "input": "a.in", "key": "default/base/a.in",
                               "schema": "qa.golden/1", "file": {}})"),
            head + "unknown key \"file\"");
  EXPECT_EQ(error_of(tmp, R"({"input": "a.in", "key": "default/base/a.in",
                               "schema": "qa.golden/1"})"),
            head + "\"files\" must be an object");
  EXPECT_EQ(error_of(tmp, R"({"files": {"out": {"size": 1, "xxh128": "abc"}}, "input": "a.in",
                               "key": "default/base/a.in", "schema": "qa.golden/1"})")
                .find(head + "file \"out\": "),
            0U);
  EXPECT_EQ(error_of(tmp, R"({"files": {"out": {"size": -1, "xxh128": ")" + hash +
                              R"("}}, "input": "a.in", "key": "default/base/a.in",
                                   "schema": "qa.golden/1"})"),
            head + "file \"out\": \"size\" must be a non-negative integer");
  EXPECT_EQ(error_of(tmp, R"({"files": {"../out": {"size": 1, "xxh128": ")" + hash +
                              R"("}}, "input": "a.in", "key": "default/base/a.in",
                                   "schema": "qa.golden/1"})"),
            head + "invalid path \"../out\": it must stay inside its folder");
}

TEST(GoldenTest, AKeyThatIsNotTheFilesRunIsAnError) {
  const TempDir tmp;
  Golden golden = sample();
  golden.key = "default/base/b.in";
  write_text(tmp / "golden/default/base/a.in.json", golden_to_text(golden));
  const std::string message = error_of(tmp, golden_to_text(golden));
  EXPECT_NE(message.find(quote((tmp / "golden/default/base/a.in.json").string())),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("its key \"default/base/b.in\" is not \"default/base/a.in\""),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace qa::core
