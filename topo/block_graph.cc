// The block-level view of a configuration: circuits per block pair, degrees, and the graph's
// connectivity and diameter (breadth-first search from every block; block counts are small).
#include "topo/fabric.h"

#include <algorithm>
#include <deque>

namespace lp::topo {
namespace {

// Hop distances from `src` over block pairs with at least one circuit; -1 when unreachable.
std::vector<int> hops_from(const BlockGraph& g, int src) {
  std::vector<int> dist(static_cast<std::size_t>(g.blocks), -1);
  std::deque<int> queue{src};
  dist[static_cast<std::size_t>(src)] = 0;
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    for (int v = 0; v < g.blocks; ++v) {
      if (g.circuits[static_cast<std::size_t>(u)][static_cast<std::size_t>(v)] > 0 &&
          dist[static_cast<std::size_t>(v)] < 0) {
        dist[static_cast<std::size_t>(v)] = dist[static_cast<std::size_t>(u)] + 1;
        queue.push_back(v);
      }
    }
  }
  return dist;
}

}  // namespace

BlockGraph block_graph(const Fabric& fabric, const OcsConfig& config) {
  BlockGraph g;
  g.blocks = static_cast<int>(fabric.blocks.size());
  const auto n = static_cast<std::size_t>(g.blocks);
  g.circuits.assign(n, std::vector<int>(n, 0));
  g.degree.assign(n, 0);
  g.uplinks.assign(n, 0);
  for (std::size_t b = 0; b < n; ++b) {
    for (const PortRef& u : fabric.blocks[b].uplinks) {
      if (!fabric.port_failed(u.ocs, u.port)) ++g.uplinks[b];
    }
  }
  const auto owner = fabric.port_owners();
  for (const Circuit& c : config.circuits) {
    const int a = owner[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(c.a)];
    const int b = owner[static_cast<std::size_t>(c.ocs)][static_cast<std::size_t>(c.b)];
    if (a < 0 || b < 0 || a == b) continue;  // parse_ocs_config rejects these
    ++g.circuits[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
    ++g.circuits[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)];
    ++g.degree[static_cast<std::size_t>(a)];
    ++g.degree[static_cast<std::size_t>(b)];
  }
  g.connected = true;
  g.diameter = 0;
  for (int src = 0; src < g.blocks; ++src) {
    const std::vector<int> dist = hops_from(g, src);
    if (std::find(dist.begin(), dist.end(), -1) != dist.end()) {
      g.connected = false;
      g.diameter = -1;
      break;
    }
    g.diameter = std::max(g.diameter, *std::max_element(dist.begin(), dist.end()));
  }
  return g;
}

}  // namespace lp::topo
