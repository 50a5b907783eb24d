// Block-level demand, the input to every metric: D_ij in Gbit/s from block i to block j
// (bytes * 8 / duration_s / 1e9), intra-block traffic excluded (DESIGN.md, metrics).
#pragma once

#include "topo/fabric.h"
#include "topo/traffic.h"

#include <string>
#include <vector>

namespace lp::ocs {

struct Demand {
  int blocks = 0;
  std::vector<double> gbps;  // row-major, blocks squared, diagonal zero

  double at(int i, int j) const { return gbps[static_cast<std::size_t>(i * blocks + j)]; }
  double total() const;
};

// The traffic of a run seen on the fabric's blocks. Host-level traffic is summed onto the
// blocks that list the hosts; rank-level traffic through the host of each rank, or, when every
// rank ran on one machine the fabric does not know (a test run on a laptop), with the ranks
// placed evenly on the fabric's hosts (topo::spread_ranks) and `note` saying so. Any name that
// does not map is an InputError naming `source`.
topo::TrafficMatrix block_traffic(const topo::TrafficMatrix& m, const topo::Fabric& fabric,
                                  const std::string& source, std::string* note);

// Gbit/s from a block-level matrix whose names are the fabric's blocks in order.
Demand demand_of(const topo::TrafficMatrix& block_level);

}  // namespace lp::ocs
