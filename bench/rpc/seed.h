// Independent, reproducible random streams: one per (--seed, rank, level, purpose).
#pragma once

#include <cstdint>

namespace lp::bench::rpc {

enum class RandomStream : std::uint64_t { kArrivals = 1, kChoices = 2, kWork = 3 };

// splitmix64 over the combined inputs: nearby inputs give unrelated seeds.
inline std::uint64_t seed_for(std::uint64_t seed, int rank, int level, RandomStream stream) {
  std::uint64_t x = seed;
  for (std::uint64_t v : {static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(level),
                          static_cast<std::uint64_t>(stream)}) {
    x += 0x9e3779b97f4a7c15ull + v;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
  }
  return x;
}

}  // namespace lp::bench::rpc
