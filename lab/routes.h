// The block routers' static routes. Toward every other block, a block sends on every circuit
// that starts a shortest path there, all at once by ECMP: the direct circuits where there are
// any, otherwise the circuits to every transit block that has a direct circuit onward (paths
// longer than one transit only where the graph leaves no shorter one). Flows are spread by
// their addresses and ports (fib_multipath_hash_policy 1, set by lab up).
#pragma once

#include "lab/plan.h"
#include "lab/runner.h"

#include <cstddef>
#include <string>
#include <vector>

namespace lp::lab {

struct BlockEdge {
  int a = 0;
  int b = 0;
};

// next[i][j]: indices into `edges` (circuits between blocks) on which block i sends traffic
// for block j. Empty where i == j and where j cannot be reached.
using NextHops = std::vector<std::vector<std::vector<std::size_t>>>;
NextHops next_hops(int blocks, const std::vector<BlockEdge>& edges);

std::vector<BlockEdge> block_edges(const std::vector<CircuitLink>& links);

// `ip route` batch lines for block `block`'s namespace: one `route replace` per other block,
// multipath over `next[block][j]`, or an unreachable route when there is no path.
std::vector<std::string> route_lines(const Plan& plan, const std::vector<CircuitLink>& links,
                                     const NextHops& next, int block);

// Replaces the routes of every block router for the circuits `links`.
void install_routes(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links);

}  // namespace lp::lab
