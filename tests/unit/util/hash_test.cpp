#include <qa/util/hash.hpp>

#include <qa/util/shell.hpp>

#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace qa::util {
namespace {

using qa::test::TempDir;
using qa::test::write_text;

constexpr std::uint64_t k_mib = std::uint64_t{1} << 20;

// Return what `xxhsum -H2 path` prints as the digest (the first 32 characters of its line), or
// the whole output when it does not look like a digest line, so that a failure shows it.
std::string xxhsum_h2(const std::filesystem::path& path) {
  // -q: no progress line on stderr. Errors are left on stderr, where the test log shows them.
  const std::string command = "xxhsum -q -H2 " + shell_quote(path.string());
  const std::string output = qa::test::sh(command, std::filesystem::current_path());
  if (output.size() < 34 || output.substr(32, 2) != "  ") {
    return "xxhsum failed: " + output;
  }
  return output.substr(0, 32);
}

// Write `size` deterministic pseudo-random bytes (splitmix64) to `path`, in 1 MiB pieces.
void write_pseudo_random(const std::filesystem::path& path, std::uint64_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::uint64_t state = 0x9e3779b97f4a7c15ULL ^ size;
  std::vector<char> piece;
  while (size > 0) {
    const std::uint64_t n = std::min(size, k_mib);
    piece.resize(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < piece.size(); i += 8) {
      state += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      for (std::size_t b = 0; b < 8 && i + b < piece.size(); ++b) {
        piece[i + b] = static_cast<char>(static_cast<unsigned char>(z >> (8 * b)));
      }
    }
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    size -= n;
  }
}

// Hash the file of `size` pseudo-random bytes with hash_file and with xxhsum; they must agree.
void expect_matches_xxhsum(const TempDir& dir, std::uint64_t size) {
  const auto path = dir / ("data-" + std::to_string(size) + ".bin");
  write_pseudo_random(path, size);
  const auto digest = hash_file(path);
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(digest->size, size);
  EXPECT_EQ(digest->hash.hex(), xxhsum_h2(path)) << "size " << size;
}

TEST(HashTest, EmptyFileMatchesXxhsum) {
  const TempDir dir;
  write_text(dir / "empty", "");
  const auto digest = hash_file(dir / "empty");
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(digest->size, 0U);
  EXPECT_EQ(digest->hash.hex(), xxhsum_h2(dir / "empty"));
  EXPECT_EQ(digest->hash.hex(), "99aa06d3014798d86001c324468d497f");
}

TEST(HashTest, OneByteFileMatchesXxhsum) {
  const TempDir dir;
  write_text(dir / "one", "x");
  const auto digest = hash_file(dir / "one");
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(digest->size, 1U);
  EXPECT_EQ(digest->hash.hex(), xxhsum_h2(dir / "one"));
}

TEST(HashTest, FileJustOverOneReadChunkMatchesXxhsum) {
  const TempDir dir;
  expect_matches_xxhsum(dir, k_mib + 1);
}

TEST(HashTest, HundredMebibyteFileMatchesXxhsum) {
  const TempDir dir;
  expect_matches_xxhsum(dir, 100 * k_mib);
}

TEST(HashTest, FileDigestEqualsDigestOfItsBytesAcrossSizes) {
  const TempDir dir;
  // Sizes around XXH3's boundaries (16, 128, 240 bytes, 1 KiB stripes) and the 1 MiB reads.
  const std::vector<std::uint64_t> sizes{0,   1,   3,    16,    17,        128,   129,
                                         240, 241, 1024, 65537, k_mib - 1, k_mib, 2 * k_mib + 7};
  for (const std::uint64_t size : sizes) {
    const auto path = dir / ("f" + std::to_string(size));
    write_pseudo_random(path, size);
    const std::string content = qa::test::read_text(path);
    ASSERT_EQ(content.size(), size);
    const auto digest = hash_file(path);
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(digest->size, size);
    EXPECT_EQ(digest->hash, hash_bytes(content)) << "size " << size;
  }
}

TEST(HashTest, HashBytesKnownAnswer) {
  EXPECT_EQ(hash_bytes("hello world").hex(), "df8d09e93f874900a99b8775cc15b6c7");
  EXPECT_EQ(hash_bytes("").hex(), "99aa06d3014798d86001c324468d497f");
  EXPECT_NE(hash_bytes("hello world"), hash_bytes("hello world!"));
}

TEST(HashTest, HashBytesOfSpanEqualsHashOfString) {
  const std::string text = "hello world";
  const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(text.data()),
                                     reinterpret_cast<const std::byte*>(text.data() + text.size()));
  EXPECT_EQ(hash_bytes(std::span<const std::byte>(bytes)), hash_bytes(text));
}

TEST(HashTest, HexIsHighWordThenLowWordBigEndian) {
  const Hash128 hash{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  EXPECT_EQ(hash.hex(), "0123456789abcdeffedcba9876543210");
  EXPECT_EQ((Hash128{0, 1}).hex(), "00000000000000000000000000000001");
  const Hash128 known = hash_bytes("hello world");
  EXPECT_EQ(known.high, 0xdf8d09e93f874900ULL);
  EXPECT_EQ(known.low, 0xa99b8775cc15b6c7ULL);
}

TEST(HashTest, FromHexRoundTrips) {
  for (const std::string_view text : {"", "a", "hello world", "qatools"}) {
    const Hash128 hash = hash_bytes(text);
    const auto parsed = Hash128::from_hex(hash.hex());
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, hash);
  }
  const auto parsed = Hash128::from_hex("0123456789abcdeffedcba9876543210");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->high, 0x0123456789abcdefULL);
  EXPECT_EQ(parsed->low, 0xfedcba9876543210ULL);
}

TEST(HashTest, FromHexAcceptsUpperCase) {
  const auto parsed = Hash128::from_hex("DF8D09E93F874900A99B8775CC15B6C7");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, hash_bytes("hello world"));
}

TEST(HashTest, FromHexRejectsBadInputNamingIt) {
  const std::string good = "df8d09e93f874900a99b8775cc15b6c7";
  for (const std::string& bad :
       {good.substr(0, 31), good + "0", std::string(), std::string("g") + good.substr(1),
        good.substr(0, 31) + "z", good.substr(0, 16) + " " + good.substr(17),
        good.substr(0, 16) + "-" + good.substr(17), std::string("0x") + good.substr(2)}) {
    const auto parsed = Hash128::from_hex(bad);
    ASSERT_FALSE(parsed) << "accepted \"" << bad << "\"";
    EXPECT_NE(parsed.error().message.find("\"" + bad + "\""), std::string::npos)
        << parsed.error().message;
  }
}

TEST(HashTest, MissingFileIsAnErrorNamingIt) {
  const TempDir dir;
  const auto path = dir / "no-such-file.bin";
  const auto digest = hash_file(path);
  ASSERT_FALSE(digest);
  EXPECT_NE(digest.error().message.find("\"" + path.string() + "\""), std::string::npos)
      << digest.error().message;
  EXPECT_NE(digest.error().message.find("No such file"), std::string::npos)
      << digest.error().message;
}

TEST(HashTest, FolderIsAnErrorNamingIt) {
  const TempDir dir;
  std::filesystem::create_directory(dir / "folder");
  const auto digest = hash_file(dir / "folder");
  ASSERT_FALSE(digest);
  EXPECT_NE(digest.error().message.find((dir / "folder").string()), std::string::npos)
      << digest.error().message;
}

}  // namespace
}  // namespace qa::util

namespace qa::util {
namespace {

TEST(Hasher, PiecesHashLikeTheWhole) {
  Hasher hasher;
  hasher.update("hello ");
  hasher.update("world");
  EXPECT_EQ(hasher.digest().hex(), "df8d09e93f874900a99b8775cc15b6c7");
  EXPECT_EQ(hasher.size(), 11U);
  hasher.reset();
  hasher.update("hello world");
  EXPECT_EQ(hasher.digest(), hash_bytes("hello world"));
  Hasher moved(std::move(hasher));
  EXPECT_EQ(moved.digest(), hash_bytes("hello world"));
}

}  // namespace
}  // namespace qa::util
