// `lightpath p2p --pairs all`: every pair of hosts measured in round-robin rounds, as a
// pairwise latency matrix, with the slowest pairs and the hosts that appear in most of them
// (how teams hunt a bad node or cable: a host in every slow pair is the suspect).
#pragma once

#include "bench/p2p/sweep.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::bench::p2p {

// Who takes part: the first rank of each host; when every rank shares one host, every rank.
struct Members {
  std::vector<int> ranks;
  std::vector<std::string> labels;  // host names, or "rank N" on a single host
};
Members pair_members(const std::vector<std::string>& rank_hosts);

struct PairMatrix {
  std::size_t size = 0;             // message size
  std::vector<std::string> labels;
  std::vector<std::vector<double>> p50_us;  // symmetric; -1 where not measured, 0 on the diagonal
  std::vector<std::vector<double>> p99_us;
};
PairMatrix pair_matrix(const Point& point, const Members& members);

struct SlowPair {
  std::size_t a = 0;
  std::size_t b = 0;
  double p50_us = 0;
};
struct Suspect {
  std::string label;
  std::size_t slow_pairs = 0;  // how many of the slowest pairs it is in
};
// A pair is slow when its p50 exceeds kSlowFactor times the lower quartile of all pairs' p50
// (a healthy reference even when many pairs share one bad host).
inline constexpr double kSlowFactor = 1.5;
double slow_threshold_us(const PairMatrix& m);
// The slow pairs, slowest first, at most max(3, pairs/10) of them.
std::vector<SlowPair> slowest_pairs(const PairMatrix& m);
// Labels in two or more of the slowest pairs, most often first.
std::vector<Suspect> suspects(const PairMatrix& m, const std::vector<SlowPair>& slow);

std::string format_pair_matrix(const PairMatrix& m);
// lightpath.latency-matrix/1 (docs/formats.md).
nlohmann::json to_json(const PairMatrix& m, const std::vector<SlowPair>& slow,
                       const std::vector<Suspect>& suspects);

}  // namespace lp::bench::p2p
