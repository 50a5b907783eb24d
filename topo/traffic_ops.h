// What operators do with traffic matrices: merge snapshots, find the heaviest pairs, and look
// at the whole matrix at a glance.
#pragma once

#include "topo/traffic.h"

#include <string>
#include <vector>

namespace lp::topo {

// Sums snapshots of one level: names are the union (in order of first appearance), bytes add,
// durations add (consecutive intervals). Rank-level inputs must agree on each rank's host.
TrafficMatrix merge_sum(const std::vector<TrafficMatrix>& snapshots, const std::vector<std::string>& sources);

// Per pair, the highest rate over the snapshots (as Jupiter plans from the peak of the last
// hour). The result covers one second: its bytes are bytes per second at the peak.
TrafficMatrix merge_peak(const std::vector<TrafficMatrix>& snapshots, const std::vector<std::string>& sources);

struct PairFlow {
  std::size_t src = 0;
  std::size_t dst = 0;
  double bytes = 0;
};
// The `n` heaviest off-diagonal pairs, heaviest first (ties by src, then dst).
std::vector<PairFlow> top_pairs(const TrafficMatrix& m, std::size_t n);

// Gbit/s for `bytes` over the matrix's duration (0 when the duration is 0).
double gbps(const TrafficMatrix& m, double bytes);

// `lightpath traffic show`: totals, the top pairs and, for up to `max_heatmap` names, a text
// heatmap (one character per pair, darker is heavier, on a log scale).
std::string format_traffic(const TrafficMatrix& m, std::size_t top, std::size_t max_heatmap = 64);

}  // namespace lp::topo
