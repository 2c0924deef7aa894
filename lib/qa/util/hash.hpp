#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::util {

// An XXH3-128 digest. Not a cryptographic hash: it detects changes and addresses content, it does
// not defend against someone forging a collision. `hex()` is the canonical big-endian form that
// `xxhsum -H2` prints (32 lowercase hex digits); it names blobs in the store.
struct Hash128 {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  [[nodiscard]] std::string hex() const;
  // Parse 32 hex digits (either case); fail naming `text` otherwise.
  [[nodiscard]] static Expected<Hash128> from_hex(std::string_view text);

  friend bool operator==(const Hash128&, const Hash128&) = default;
  friend auto operator<=>(const Hash128&, const Hash128&) = default;
};

// Return the XXH3-128 digest of `bytes`.
[[nodiscard]] Hash128 hash_bytes(std::span<const std::byte> bytes);
[[nodiscard]] Hash128 hash_bytes(std::string_view text);

// A file's digest and the number of bytes that were hashed.
struct FileHash {
  Hash128 hash;
  std::uint64_t size = 0;
};

// Return the digest of the file at `path`, read in large chunks (the whole file is never held in
// memory), or an error naming the file and the system's reason.
[[nodiscard]] Expected<FileHash> hash_file(const std::filesystem::path& path);

}  // namespace qa::util
