#include <qa/util/hash.hpp>

#include <xxhash.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include <qa/util/strings.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::util {

namespace {

constexpr std::size_t k_chunk_size = std::size_t{1} << 20;  // 1 MiB reads: near cat's throughput

struct StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using StatePtr = std::unique_ptr<XXH3_state_t, StateDeleter>;

Hash128 from_xxh(XXH128_hash_t value) {
  return Hash128{value.high64, value.low64};
}

}  // namespace

std::string Hash128::hex() const {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH128_hash_t{low, high});
  static constexpr std::array<char, 16> k_digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out(32, '0');
  for (std::size_t i = 0; i < sizeof(canonical.digest); ++i) {
    out[2 * i] = k_digits[canonical.digest[i] >> 4];
    out[2 * i + 1] = k_digits[canonical.digest[i] & 0xf];
  }
  return out;
}

Expected<Hash128> Hash128::from_hex(std::string_view text) {
  if (text.size() != 32) {
    return fail("invalid xxh128 hash {}: expected 32 hex digits", quote(text));
  }
  XXH128_canonical_t canonical;
  for (std::size_t i = 0; i < 16; ++i) {
    const int hi = hex_digit_value(text[2 * i]);
    const int lo = hex_digit_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return fail("invalid xxh128 hash {}: expected 32 hex digits", quote(text));
    }
    canonical.digest[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return from_xxh(XXH128_hashFromCanonical(&canonical));
}

Hash128 hash_bytes(std::span<const std::byte> bytes) {
  return from_xxh(XXH3_128bits(bytes.data(), bytes.size()));
}

Hash128 hash_bytes(std::string_view text) {
  return from_xxh(XXH3_128bits(text.data(), text.size()));
}

Hasher::Hasher() : m_state(XXH3_createState()) {
  if (m_state == nullptr) {
    throw std::bad_alloc();
  }
  reset();
}

Hasher::~Hasher() {
  if (m_state != nullptr) {
    XXH3_freeState(static_cast<XXH3_state_t*>(m_state));
  }
}

Hasher::Hasher(Hasher&& other) noexcept
    : m_state(std::exchange(other.m_state, nullptr)), m_size(other.m_size) {}

Hasher& Hasher::operator=(Hasher&& other) noexcept {
  if (this != &other) {
    if (m_state != nullptr) {
      XXH3_freeState(static_cast<XXH3_state_t*>(m_state));
    }
    m_state = std::exchange(other.m_state, nullptr);
    m_size = other.m_size;
  }
  return *this;
}

void Hasher::reset() {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(m_state));
  m_size = 0;
}

void Hasher::update(std::string_view bytes) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(m_state), bytes.data(), bytes.size());
  m_size += bytes.size();
}

Hash128 Hasher::digest() const {
  return from_xxh(XXH3_128bits_digest(static_cast<XXH3_state_t*>(m_state)));
}

Expected<FileHash> hash_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return fail("cannot read {}: {}", quote(path.string()), std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) {
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  // One buffer per thread: hashing runs on worker threads and allocating 1 MiB per file would
  // dominate the cost of small files.
  thread_local std::vector<unsigned char> buffer(k_chunk_size);
  StatePtr state(XXH3_createState());
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) {
    return fail("cannot hash {}: out of memory", quote(path.string()));
  }
  std::uint64_t size = 0;
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail("cannot read {}: {}", quote(path.string()), std::strerror(errno));
    }
    if (n == 0) {
      break;
    }
    XXH3_128bits_update(state.get(), buffer.data(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
  }
  return FileHash{from_xxh(XXH3_128bits_digest(state.get())), size};
}

}  // namespace qa::util
