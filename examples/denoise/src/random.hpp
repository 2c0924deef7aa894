#pragma once

#include <cstdint>

namespace example {

// Return the SplitMix64 hash of `x`: a fixed bijection on 64-bit integers with good mixing,
// identical on every platform. Used as a seeded, clock-free source of pseudo-random bits.
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

// Return a double uniform in [0, 1) made from the top 53 bits of `bits`.
[[nodiscard]] constexpr double unit_double(std::uint64_t bits) {
  return static_cast<double>(bits >> 11U) * 0x1.0p-53;
}

// A deterministic pseudo-random sequence: each call to next() returns the next 64 bits.
class Random {
 public:
  explicit constexpr Random(std::uint64_t seed) : m_state(seed) {}

  constexpr std::uint64_t next() {
    m_state += 1;
    return splitmix64(m_state);
  }

  // Return a double uniform in [0, 1).
  constexpr double uniform() { return unit_double(next()); }

 private:
  std::uint64_t m_state;
};

}  // namespace example
