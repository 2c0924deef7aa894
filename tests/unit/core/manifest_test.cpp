#include <qa/core/manifest.hpp>

#include <qa/util/hash.hpp>
#include <qa/util/shell.hpp>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

namespace fs = std::filesystem;
using qa::test::TempDir;
using qa::test::write_text;

std::vector<std::string> paths_of(const Manifest& manifest) {
  std::vector<std::string> paths;
  for (const auto& [path, _] : manifest) {
    paths.push_back(path);
  }
  return paths;
}

// An output folder with nested files, logs at several depths and qatools' own files.
void make_outputs(const TempDir& tmp) {
  write_text(tmp / "out" / "result.png", "png bytes");
  write_text(tmp / "out" / "empty.txt", "");
  write_text(tmp / "out" / "run.log", "top log");
  write_text(tmp / "out" / "a" / "b" / "deep.bin", std::string(100000, 'x'));
  write_text(tmp / "out" / "a" / "b" / "deep.log", "deep log");
  write_text(tmp / "out" / "a" / "notes.txt", "notes");
  write_text(tmp / "out" / "with space" / "it's.txt", "quoted");
  write_text(tmp / "out" / ".qa-output", "");
  write_text(tmp / "out" / "qa-run.log", "the command's output");
  write_text(tmp / "out" / "sub" / "qa-run.log", "a user file with a reserved name");
}

const std::set<std::string> k_reserved{".qa-output", "qa-run.log"};

// Run `command` under /bin/sh in `dir` and return its exit status.
int run_in(const fs::path& dir, const std::string& command) {
  const std::string full = "cd " + util::shell_quote(dir.string()) + " && " + command;
  const int status = std::system(full.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FileSelectionTest, DefaultSelectsEverything) {
  const FileSelection all;
  EXPECT_TRUE(all.selects("a.png"));
  EXPECT_TRUE(all.selects("a/b/c.log"));
  EXPECT_TRUE(all.selects(".hidden"));
}

TEST(FileSelectionTest, StarCrossesSlashes) {
  const FileSelection selection{{"*.png", "data/*"}, {"*.log", "tmp/*"}};
  EXPECT_TRUE(selection.selects("a.png"));
  EXPECT_TRUE(selection.selects("x/y/a.png"));
  EXPECT_TRUE(selection.selects("data/x/y.bin"));
  EXPECT_FALSE(selection.selects("a.bin"));
  EXPECT_FALSE(selection.selects("x/a.log"));
  EXPECT_FALSE(selection.selects("data/run.log"));
  EXPECT_FALSE(selection.selects("tmp/a.png"));
  EXPECT_FALSE(selection.selects("tmp/x/a.png"));
}

TEST(FileSelectionTest, NoPatternsSelectNothing) {
  const FileSelection none{{}, {}};
  EXPECT_FALSE(none.selects("a.png"));
}

TEST(BuildManifestTest, HashesEveryFileExceptReservedOnes) {
  const TempDir tmp;
  make_outputs(tmp);
  auto manifest = build_manifest(tmp / "out", FileSelection{}, k_reserved);
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(
      paths_of(*manifest),
      (std::vector<std::string>{"a/b/deep.bin", "a/b/deep.log", "a/notes.txt", "empty.txt",
                                "result.png", "run.log", "sub/qa-run.log", "with space/it's.txt"}));
}

TEST(BuildManifestTest, WithoutReservedNamesQatoolsFilesAreIncluded) {
  const TempDir tmp;
  make_outputs(tmp);
  auto manifest = build_manifest(tmp / "out", FileSelection{});
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_TRUE(manifest->contains(".qa-output"));
  EXPECT_TRUE(manifest->contains("qa-run.log"));
  EXPECT_EQ(manifest->size(), 10u);
}

TEST(BuildManifestTest, HonoursPatternsAndIgnoreInSubfolders) {
  const TempDir tmp;
  make_outputs(tmp);
  const FileSelection selection{{"*.png", "*.bin", "*.log", "a/*"}, {"*.log"}};
  auto manifest = build_manifest(tmp / "out", selection, k_reserved);
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(paths_of(*manifest),
            (std::vector<std::string>{"a/b/deep.bin", "a/notes.txt", "result.png"}));
}

TEST(BuildManifestTest, HashesEqualHashFile) {
  const TempDir tmp;
  make_outputs(tmp);
  for (const std::size_t threads : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    auto manifest = build_manifest(tmp / "out", FileSelection{}, k_reserved, threads);
    ASSERT_TRUE(manifest) << manifest.error().message;
    ASSERT_EQ(manifest->size(), 8u);
    for (const auto& [path, entry] : *manifest) {
      auto expected = util::hash_file(tmp / "out" / path);
      ASSERT_TRUE(expected) << expected.error().message;
      EXPECT_EQ(entry.hash, expected->hash) << path;
      EXPECT_EQ(entry.size, expected->size) << path;
      EXPECT_EQ(entry.size, fs::file_size(tmp / "out" / path)) << path;
    }
  }
}

TEST(BuildManifestTest, KnownAnswerForAnEmptyFile) {
  const TempDir tmp;
  write_text(tmp / "out" / "empty", "");
  auto manifest = build_manifest(tmp / "out", FileSelection{});
  ASSERT_TRUE(manifest) << manifest.error().message;
  // `xxhsum -H2 /dev/null`
  EXPECT_EQ(manifest->at("empty").hash.hex(), "99aa06d3014798d86001c324468d497f");
  EXPECT_EQ(manifest->at("empty").size, 0u);
}

TEST(BuildManifestTest, SymlinksAreNotFollowed) {
  const TempDir tmp;
  write_text(tmp / "outside" / "secret.txt", "secret");
  write_text(tmp / "out" / "real.txt", "real");
  fs::create_symlink(tmp / "outside" / "secret.txt", tmp / "out" / "link.txt");
  fs::create_directory_symlink(tmp / "outside", tmp / "out" / "linked_dir");
  auto manifest = build_manifest(tmp / "out", FileSelection{});
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(paths_of(*manifest), std::vector<std::string>{"real.txt"});
}

TEST(BuildManifestTest, AnEmptyFolderGivesAnEmptyManifest) {
  const TempDir tmp;
  fs::create_directories(tmp / "out");
  auto manifest = build_manifest(tmp / "out", FileSelection{});
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_TRUE(manifest->empty());
}

TEST(BuildManifestTest, AMissingFolderIsAnErrorNamingIt) {
  const TempDir tmp;
  auto manifest = build_manifest(tmp / "nope", FileSelection{});
  ASSERT_FALSE(manifest);
  EXPECT_NE(manifest.error().message.find((tmp / "nope").string()), std::string::npos)
      << manifest.error().message;
}

TEST(FilterManifestTest, KeepsTheSelectedEntries) {
  const TempDir tmp;
  make_outputs(tmp);
  auto manifest = build_manifest(tmp / "out", FileSelection{}, k_reserved);
  ASSERT_TRUE(manifest) << manifest.error().message;
  const Manifest filtered = filter_manifest(*manifest, FileSelection{{"a/*", "*.png"}, {"*.log"}});
  EXPECT_EQ(paths_of(filtered),
            (std::vector<std::string>{"a/b/deep.bin", "a/notes.txt", "result.png"}));
  for (const auto& [path, entry] : filtered) {
    EXPECT_EQ(entry, manifest->at(path)) << path;
  }
  EXPECT_EQ(filter_manifest(*manifest, FileSelection{}), *manifest);
  EXPECT_TRUE(filter_manifest(*manifest, FileSelection{{"*.none"}, {}}).empty());
  EXPECT_TRUE(filter_manifest(Manifest{}, FileSelection{}).empty());
}

TEST(ToXxhsumFormatTest, WritesHashTwoSpacesPathLines) {
  Manifest manifest;
  manifest["b/c.txt"] = FileEntry{util::Hash128{0x0123456789abcdefULL, 0xfedcba9876543210ULL}, 3};
  manifest["a.png"] = FileEntry{util::Hash128{0, 1}, 1};
  EXPECT_EQ(to_xxhsum_format(manifest),
            "00000000000000000000000000000001  a.png\n"
            "0123456789abcdeffedcba9876543210  b/c.txt\n");
  EXPECT_EQ(to_xxhsum_format(Manifest{}), "");
}

TEST(BuildManifestTest, ANameThatIsNotUtf8IsAnErrorNamingItReadably) {
  const TempDir tmp;
  write_text(tmp / "out" / "good.txt", "g");
  write_text(tmp / "out" / "bad\xff.txt", "b");
  const auto manifest = build_manifest(tmp / "out", FileSelection{}, {}, 1, nullptr);
  ASSERT_FALSE(manifest);
  EXPECT_NE(manifest.error().message.find("\"bad\\377.txt\""), std::string::npos)
      << manifest.error().message;
  EXPECT_NE(manifest.error().message.find("not UTF-8"), std::string::npos);
}

TEST(ToXxhsumFormatTest, ALineBreakInANameCannotForgeAnotherLine) {
  Manifest manifest;
  const util::Hash128 hash{0, 1};
  manifest["x\n00000000000000000000000000000002  forged"] = FileEntry{hash, 1};
  manifest["back\\slash"] = FileEntry{hash, 1};
  manifest["cr\r\\both"] = FileEntry{hash, 1};
  EXPECT_EQ(to_xxhsum_format(manifest),
            "00000000000000000000000000000001  back\\slash\n"
            "\\00000000000000000000000000000001  cr\\r\\\\both\n"
            "\\00000000000000000000000000000001  x\\n00000000000000000000000000000002  forged\n");
}

TEST(ToXxhsumFormatTest, XxhsumChecksTheManifestAndSeesAChangedByte) {
  const TempDir tmp;
  make_outputs(tmp);
  auto manifest = build_manifest(tmp / "out", FileSelection{}, k_reserved);
  ASSERT_TRUE(manifest) << manifest.error().message;
  const fs::path sums = tmp / "manifest.xxh128";
  write_text(sums, to_xxhsum_format(*manifest));
  EXPECT_EQ(run_in(tmp / "out", "xxhsum -c " + util::shell_quote(sums.string())), 0)
      << qa::test::read_text(sums);

  // xxhsum -H2 of the same files prints the same lines.
  std::string listed;
  for (const auto& [path, _] : *manifest) {
    listed += " " + util::shell_quote(path);
  }
  const fs::path own = tmp / "own.xxh128";
  ASSERT_EQ(run_in(tmp / "out", "xxhsum -H2" + listed + " > " + util::shell_quote(own.string())),
            0);
  EXPECT_EQ(qa::test::read_text(own), qa::test::read_text(sums));

  // Same size, one byte changed.
  std::string content = qa::test::read_text(tmp / "out" / "a" / "b" / "deep.bin");
  content[50000] = 'y';
  write_text(tmp / "out" / "a" / "b" / "deep.bin", content);
  EXPECT_NE(run_in(tmp / "out", "xxhsum -c " + util::shell_quote(sums.string()) + " >/dev/null"),
            0);
}

}  // namespace
}  // namespace qa::core
