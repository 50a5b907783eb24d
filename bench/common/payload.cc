#include "bench/common/payload.h"

#include <cstring>

namespace lp::bench {
namespace {

// splitmix64: every 8-byte word is a function of (seed, word index), so any window of the
// payload can be produced or checked on its own.
std::uint64_t word(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + index + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void fill_payload(void* buf, std::size_t len, std::uint64_t seed) {
  auto* out = static_cast<unsigned char*>(buf);
  std::size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    const std::uint64_t w = word(seed, i / 8);
    std::memcpy(out + i, &w, 8);
  }
  for (; i < len; ++i) out[i] = payload_byte(seed, i);
}

unsigned char payload_byte(std::uint64_t seed, std::size_t index) {
  const std::uint64_t w = word(seed, index / 8);
  unsigned char bytes[8];
  std::memcpy(bytes, &w, 8);
  return bytes[index % 8];
}

std::optional<std::size_t> payload_mismatch(const void* buf, std::size_t len, std::uint64_t seed) {
  const auto* in = static_cast<const unsigned char*>(buf);
  std::size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    const std::uint64_t w = word(seed, i / 8);
    if (std::memcmp(in + i, &w, 8) != 0) break;
  }
  for (; i < len; ++i) {
    if (in[i] != payload_byte(seed, i)) return i;
  }
  return std::nullopt;
}

}  // namespace lp::bench
