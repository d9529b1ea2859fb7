#include "storage/random.h"

#include <array>
#include <chrono>
#include <functional>
#include <random>
#include <thread>

namespace shoal::storage {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device device;
    std::uint64_t seed = (std::uint64_t{device()} << 32) ^ device();
    // Mixed in so threads differ even if random_device is deterministic.
    seed ^= std::hash<std::thread::id>{}(std::this_thread::get_id());
    seed ^= static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    for (auto& word : s_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  std::array<std::uint64_t, 4> s_{};
};

Xoshiro256& generator() {
  thread_local Xoshiro256 g;
  return g;
}

}  // namespace

std::uint64_t random_u64() { return generator().next(); }

std::string random_uuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t hi = random_u64();
  std::uint64_t lo = random_u64();
  hi = (hi & ~0xf000ULL) | 0x4000ULL;                  // version 4
  lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);      // variant 10xx
  std::string out(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t word) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(word >> shift) & 0xf];
    }
  };
  put(hi);
  put(lo);
  return out;
}

}  // namespace shoal::storage
