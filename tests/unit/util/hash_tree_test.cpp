#include <qa/util/hash_tree.hpp>

#include <sys/stat.h>
#include <utime.h>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace qa::util {
namespace {

namespace fs = std::filesystem;
using qa::test::TempDir;
using qa::test::write_text;
using Strings = std::vector<std::string>;

TEST(ListTreeTest, ListsRegularFilesRecursivelySortedWithSlashes) {
  const TempDir dir;
  const fs::path root = dir / "root";
  write_text(root / "b.txt", "b");
  write_text(root / "a/y/z", "z");
  write_text(root / "a/x", "x");
  write_text(root / "a-b", "-");
  write_text(root / "B", "upper");
  write_text(root / "sub dir/é.txt", "unicode");
  write_text(root / ".hidden/.dot", "dot");
  fs::create_directories(root / "empty/deeper");
  const auto files = list_tree(root);
  ASSERT_TRUE(files) << files.error().message;
  // Byte order: "B" < "a-b" < "a/x" ('-' is 0x2d, '/' is 0x2f).
  EXPECT_EQ(*files,
            (Strings{".hidden/.dot", "B", "a-b", "a/x", "a/y/z", "b.txt", "sub dir/é.txt"}));
}

TEST(ListTreeTest, DoesNotFollowOrListSymlinks) {
  const TempDir dir;
  const fs::path root = dir / "root";
  write_text(root / "real/file", "content");
  write_text(dir / "outside/secret", "secret");
  fs::create_symlink("real/file", root / "link-to-file");
  fs::create_directory_symlink("real", root / "link-to-dir");
  fs::create_directory_symlink(dir / "outside", root / "link-outside");
  fs::create_symlink("does-not-exist", root / "broken-link");
  const auto files = list_tree(root);
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(*files, (Strings{"real/file"}));

  const auto listing = scan_tree(root);
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->files, (Strings{"real/file"}));
  EXPECT_EQ(listing->skipped,
            (Strings{"broken-link", "link-outside", "link-to-dir", "link-to-file"}));
}

TEST(ListTreeTest, SpecialFilesAreSkippedAndSaid) {
  const TempDir dir;
  write_text(dir / "root/a", "a");
  fs::create_directories(dir / "root/sub");
  ASSERT_EQ(::mkfifo((dir / "root/sub/pipe").c_str(), 0644), 0);
  const auto listing = scan_tree(dir / "root");
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(listing->files, (Strings{"a"}));
  EXPECT_EQ(listing->skipped, (Strings{"sub/pipe"}));
}

TEST(ListTreeTest, RootSpelledWithTrailingSlashOrDotGivesSameNames) {
  const TempDir dir;
  write_text(dir / "root/a/b", "b");
  write_text(dir / "root/c", "c");
  const Strings expected{"a/b", "c"};
  const auto plain = list_tree(dir / "root");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, expected);
  const auto slash = list_tree((dir / "root").string() + "/");
  ASSERT_TRUE(slash) << slash.error().message;
  EXPECT_EQ(*slash, expected);
  const auto dotted = list_tree(dir / "root" / ".");
  ASSERT_TRUE(dotted) << dotted.error().message;
  EXPECT_EQ(*dotted, expected);
}

TEST(ListTreeTest, ScanGivesTheLstatOfEachFileInListingOrder) {
  const TempDir dir;
  write_text(dir / "root/b/deep/x", "12345");
  write_text(dir / "root/a", "1");
  fs::create_symlink("a", dir / "root/link");
  const auto listing = scan_tree(dir / "root");
  ASSERT_TRUE(listing) << listing.error().message;
  ASSERT_EQ(listing->files, (Strings{"a", "b/deep/x"}));
  ASSERT_EQ(listing->stats.size(), listing->files.size());
  for (std::size_t i = 0; i < listing->files.size(); ++i) {
    struct stat st {};
    ASSERT_EQ(::lstat((dir / "root" / listing->files[i]).c_str(), &st), 0);
    EXPECT_EQ(listing->stats[i], FileStat::of(st)) << listing->files[i];
  }
}

TEST(ListTreeTest, EmptyFolderGivesNoFiles) {
  const TempDir dir;
  const auto files = list_tree(dir.path());
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_TRUE(files->empty());
}

TEST(ListTreeTest, MissingFolderIsAnErrorNamingIt) {
  const TempDir dir;
  const fs::path missing = dir / "missing";
  const auto files = list_tree(missing);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find("\"" + missing.string() + "\""), std::string::npos)
      << files.error().message;
}

TEST(ListTreeTest, FileInsteadOfFolderIsAnErrorNamingIt) {
  const TempDir dir;
  write_text(dir / "file", "x");
  const auto files = list_tree(dir / "file");
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find((dir / "file").string()), std::string::npos)
      << files.error().message;
}

// A tree of `count` files of varied sizes (0 B to about 3 MiB, some identical), listed in a
// shuffled order so that neither the input order nor the size order is sorted.
Strings make_varied_tree(const fs::path& root, int count) {
  Strings rel_paths;
  std::mt19937 rng(42);
  for (int i = 0; i < count; ++i) {
    const std::string rel = "d" + std::to_string(i % 4) + "/f" + std::to_string(i) + ".bin";
    std::size_t size = 0;
    if (i % 7 == 3) {
      size = (std::size_t{3} << 20) - static_cast<std::size_t>(i);  // several read chunks
    } else if (i % 5 != 0) {
      size = static_cast<std::size_t>(rng() % 5000U);
    }
    std::string content(size, '\0');
    for (auto& c : content) {
      c = static_cast<char>(rng() & 0xffU);
    }
    if (i == 11) {
      content = "same";  // two files with identical content
    }
    if (i == 12) {
      content = "same";
    }
    write_text(root / rel, content);
    rel_paths.push_back(rel);
  }
  std::shuffle(rel_paths.begin(), rel_paths.end(), rng);
  return rel_paths;
}

TEST(HashFilesTest, AnyThreadCountGivesHashFileResultsInInputOrder) {
  const TempDir dir;
  const Strings rel_paths = make_varied_tree(dir.path(), 40);
  std::vector<FileHash> expected;
  for (const auto& rel : rel_paths) {
    const auto digest = hash_file(dir / rel);
    ASSERT_TRUE(digest) << digest.error().message;
    expected.push_back(*digest);
  }
  for (const std::size_t threads :
       {std::size_t{1}, std::size_t{2}, std::size_t{8}, std::size_t{0}, std::size_t{100}}) {
    const auto result = hash_files(dir.path(), rel_paths, threads);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->size(), rel_paths.size()) << threads << " threads";
    for (std::size_t i = 0; i < rel_paths.size(); ++i) {
      EXPECT_EQ((*result)[i].rel_path, rel_paths[i]) << threads << " threads, index " << i;
      EXPECT_EQ((*result)[i].digest.hash, expected[i].hash)
          << threads << " threads, " << rel_paths[i];
      EXPECT_EQ((*result)[i].digest.size, expected[i].size)
          << threads << " threads, " << rel_paths[i];
    }
  }
}

TEST(HashFilesTest, WorksOnTheListFromListTree) {
  const TempDir dir;
  write_text(dir / "a/1", "one");
  write_text(dir / "b", "two");
  const auto files = list_tree(dir.path());
  ASSERT_TRUE(files) << files.error().message;
  const auto result = hash_files(dir.path(), *files, 2);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->size(), 2U);
  EXPECT_EQ((*result)[0].rel_path, "a/1");
  EXPECT_EQ((*result)[0].digest.hash, hash_bytes("one"));
  EXPECT_EQ((*result)[0].digest.size, 3U);
  EXPECT_EQ((*result)[1].rel_path, "b");
  EXPECT_EQ((*result)[1].digest.hash, hash_bytes("two"));
}

TEST(HashFilesTest, StatsOfTheScanServeTheCacheWithoutAnotherStat) {
  const TempDir dir;
  const Strings rel_paths = make_varied_tree(dir / "tree", 12);
  for (const auto& rel : rel_paths) {
    struct utimbuf times {};
    times.actime = std::time(nullptr) - 10;
    times.modtime = std::time(nullptr) - 10;  // not racy: the cache saves it
    ASSERT_EQ(::utime((dir / "tree" / rel).c_str(), &times), 0);
  }
  const auto listing = scan_tree(dir / "tree");
  ASSERT_TRUE(listing) << listing.error().message;
  auto cache = HashCache::load(dir / "cache");
  const auto first = hash_files(dir / "tree", listing->files, 2, cache.get(), listing->stats);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(cache->hits(), 0U);
  ASSERT_TRUE(cache->save());
  auto reloaded = HashCache::load(dir / "cache");
  const auto second = hash_files(dir / "tree", listing->files, 2, reloaded.get(), listing->stats);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(reloaded->hits(), listing->files.size());
  for (std::size_t i = 0; i < listing->files.size(); ++i) {
    EXPECT_EQ((*second)[i].digest.hash, (*first)[i].digest.hash) << listing->files[i];
    EXPECT_EQ((*second)[i].digest.size, (*first)[i].digest.size) << listing->files[i];
  }
  // Stats that do not describe the files (another inode) never give a digest of their own.
  std::vector<FileStat> wrong = listing->stats;
  for (auto& st : wrong) {
    ++st.inode;
  }
  auto third = HashCache::load(dir / "cache");
  const auto reread = hash_files(dir / "tree", listing->files, 2, third.get(), wrong);
  ASSERT_TRUE(reread) << reread.error().message;
  for (std::size_t i = 0; i < listing->files.size(); ++i) {
    EXPECT_EQ((*reread)[i].digest.hash, (*first)[i].digest.hash) << listing->files[i];
  }
}

TEST(HashFilesTest, MissingFileIsAnErrorNamingIt) {
  const TempDir dir;
  Strings rel_paths = make_varied_tree(dir.path(), 20);
  rel_paths.insert(rel_paths.begin() + 7, "d1/gone.bin");
  for (const std::size_t threads : {std::size_t{1}, std::size_t{8}}) {
    const auto result = hash_files(dir.path(), rel_paths, threads);
    ASSERT_FALSE(result) << threads << " threads";
    EXPECT_NE(result.error().message.find("\"" + (dir / "d1/gone.bin").string() + "\""),
              std::string::npos)
        << result.error().message;
  }
}

TEST(HashFilesTest, UnreadableFileIsAnErrorNamingIt) {
  // A folder cannot be read as a file, even by root (who can read a file of mode 0000).
  const TempDir dir;
  write_text(dir / "ok", "fine");
  fs::create_directories(dir / "not-a-file");
  for (const std::size_t threads : {std::size_t{1}, std::size_t{8}}) {
    const auto result = hash_files(dir.path(), Strings{"ok", "not-a-file"}, threads);
    ASSERT_FALSE(result) << threads << " threads";
    EXPECT_NE(result.error().message.find((dir / "not-a-file").string()), std::string::npos)
        << result.error().message;
  }
}

TEST(HashFilesTest, EmptyListGivesEmptyResult) {
  const TempDir dir;
  for (const std::size_t threads : {std::size_t{0}, std::size_t{1}, std::size_t{8}}) {
    const auto result = hash_files(dir.path(), Strings{}, threads);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_TRUE(result->empty());
  }
}

}  // namespace
}  // namespace qa::util
