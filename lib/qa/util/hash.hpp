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

// An XXH3-128 digest computed piece by piece, for content that streams in (a download): feed
// every piece to `update()` in order, then `digest()` equals `hash_bytes` of the concatenation.
// `reset()` starts over. Move-only (it owns the xxHash state).
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(Hasher&& other) noexcept;
  Hasher& operator=(Hasher&& other) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void reset();
  void update(std::string_view bytes);
  [[nodiscard]] Hash128 digest() const;
  [[nodiscard]] std::uint64_t size() const { return m_size; }

 private:
  void* m_state = nullptr;  // XXH3_state_t, kept out of this header
  std::uint64_t m_size = 0;
};

// A file's digest and the number of bytes that were hashed.
struct FileHash {
  Hash128 hash;
  std::uint64_t size = 0;
};

// Return the digest of the file at `path`, read in large chunks (the whole file is never held in
// memory), or an error naming the file and the system's reason.
[[nodiscard]] Expected<FileHash> hash_file(const std::filesystem::path& path);

}  // namespace qa::util
