// Max link utilization: every demand routed over its direct circuits and one-transit paths
// (i -> k -> j), split as a linear program (CLP) minimizing the largest load / capacity over
// the directed block links, each with x_ij * link_gbps in each direction. Used for both
// transit kinds: with a packet spine the figure is what the circuits alone would carry, the
// spine's capacity not being part of the fabric file.
//
// The program has a path per demand and transit block (n^3 columns: 250,000 for 64 blocks),
// few of which carry flow, so it is solved by column generation: direct paths first, then
// each round prices every one-transit path with the row duals and adds those that would lower
// the objective, until none would. A solver keeps the paths it needed, so measuring several
// configurations for the same demand starts each from the paths the last one used.
#pragma once

#include "ocs/demand.h"
#include "ocs/metrics.h"

#include <optional>
#include <utility>
#include <vector>

namespace lp::ocs {

struct Utilization {
  std::optional<double> mlu;                     // empty when some demand cannot be routed
  std::vector<std::pair<int, int>> unroutable;   // (src, dst) with demand and no such path
  std::vector<double> use;                       // load / capacity of link i -> j at [i * n + j]
};

class MluSolver {
 public:
  MluSolver(const Demand& demand, double link_gbps) : demand_(&demand), link_gbps_(link_gbps) {}
  Utilization solve(const PairCircuits& circuits);

 private:
  const Demand* demand_;
  double link_gbps_;
  std::vector<std::vector<int>> known_;  // per (s * n + t): transit blocks its paths used
};

Utilization max_link_utilization(const Demand& demand, const PairCircuits& circuits, double link_gbps);

}  // namespace lp::ocs
