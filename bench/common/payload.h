// Seeded payloads that a receiver can check byte for byte (--check): every message gets bytes
// that depend on its seed and on the position, so a lost, reordered, misplaced or truncated
// message shows as a mismatch at a known index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace lp::bench {

void fill_payload(void* buf, std::size_t len, std::uint64_t seed);

// The first index where `buf` differs from what fill_payload(seed) wrote, if any.
std::optional<std::size_t> payload_mismatch(const void* buf, std::size_t len, std::uint64_t seed);

// The byte fill_payload(seed) writes at `index`, for messages naming expected values.
unsigned char payload_byte(std::uint64_t seed, std::size_t index);

}  // namespace lp::bench
