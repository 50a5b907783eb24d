// Synthetic traffic for planning what-ifs, seeded and reproducible (the same pattern, names,
// total and seed give the same matrix on every machine):
//  - ring:        names[i] -> names[i+1]: a ring all-reduce over blocks (one direction).
//  - alltoall:    every ordered pair alike: a mixture-of-experts all-to-all.
//  - gravity:     D_ij proportional to w_i * w_j with log-normal weights w: the classic
//                 datacenter demand model (Jupiter plans with it).
//  - hotspot:     a few hot pairs (max(1, n/8)) carry 80%, the rest is spread evenly.
//  - permutation: each name sends to one other, a random derangement.
//  - mixed:       50% gravity, 30% ring, 20% hotspot.
// Every pattern spreads `total_bytes` over off-diagonal pairs; entries are whole bytes.
#pragma once

#include "topo/traffic.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lp::topo {

enum class Pattern { kRing, kAllToAll, kGravity, kHotspot, kPermutation, kMixed };
// Throws InputError naming --pattern for an unknown name.
Pattern parse_pattern(const std::string& text);
std::string to_string(Pattern pattern);

TrafficMatrix generate_traffic(Pattern pattern, TrafficLevel level, std::vector<std::string> names,
                               double total_bytes, double duration_s, std::uint64_t seed);

}  // namespace lp::topo
