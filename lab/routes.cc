#include "lab/routes.h"

#include <fmt/format.h>

#include <deque>

namespace lp::lab {
namespace {

// Circuits crossed from every block to `dst`; -1 when unreachable.
std::vector<int> distances_to(int blocks, const std::vector<std::vector<int>>& adjacent, int dst) {
  std::vector<int> dist(static_cast<std::size_t>(blocks), -1);
  dist[static_cast<std::size_t>(dst)] = 0;
  std::deque<int> queue{dst};
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop_front();
    for (const int v : adjacent[static_cast<std::size_t>(u)]) {
      if (dist[static_cast<std::size_t>(v)] >= 0) continue;
      dist[static_cast<std::size_t>(v)] = dist[static_cast<std::size_t>(u)] + 1;
      queue.push_back(v);
    }
  }
  return dist;
}

}  // namespace

NextHops next_hops(int blocks, const std::vector<BlockEdge>& edges) {
  const auto n = static_cast<std::size_t>(blocks);
  std::vector<std::vector<int>> adjacent(n);
  for (const BlockEdge& e : edges) {
    adjacent[static_cast<std::size_t>(e.a)].push_back(e.b);
    adjacent[static_cast<std::size_t>(e.b)].push_back(e.a);
  }
  NextHops next(n, std::vector<std::vector<std::size_t>>(n));
  for (int j = 0; j < blocks; ++j) {
    const std::vector<int> dist = distances_to(blocks, adjacent, j);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      // A circuit is a next hop from either end toward j when the far end is one step closer.
      const int ends[2][2] = {{edges[e].a, edges[e].b}, {edges[e].b, edges[e].a}};
      for (const auto& [from, to] : ends) {
        const int df = dist[static_cast<std::size_t>(from)];
        const int dt = dist[static_cast<std::size_t>(to)];
        if (from != j && df > 0 && dt == df - 1) {
          next[static_cast<std::size_t>(from)][static_cast<std::size_t>(j)].push_back(e);
        }
      }
    }
  }
  return next;
}

std::vector<BlockEdge> block_edges(const std::vector<CircuitLink>& links) {
  std::vector<BlockEdge> edges;
  for (const CircuitLink& l : links) edges.push_back({l.a.block, l.b.block});
  return edges;
}

std::vector<std::string> route_lines(const Plan& plan, const std::vector<CircuitLink>& links,
                                     const NextHops& next, int block) {
  std::vector<std::string> lines;
  const auto& row = next[static_cast<std::size_t>(block)];
  for (std::size_t j = 0; j < row.size(); ++j) {
    if (static_cast<int>(j) == block) continue;
    const std::string& subnet = plan.blocks()[j].subnet;
    if (row[j].empty()) {
      lines.push_back(fmt::format("route replace unreachable {}", subnet));
      continue;
    }
    std::string line = fmt::format("route replace {}", subnet);
    for (const std::size_t e : row[j]) {
      const CircuitLink& l = links[e];
      const bool at_a = l.a.block == block;
      const LinkEnd& mine = at_a ? l.a : l.b;
      const LinkEnd& peer = at_a ? l.b : l.a;
      line += fmt::format(" nexthop via {} dev {} weight 1", peer.address, mine.ifname);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

void install_routes(const Plan& plan, const Runner& run, const std::vector<CircuitLink>& links) {
  const NextHops next = next_hops(static_cast<int>(plan.blocks().size()), block_edges(links));
  for (std::size_t b = 0; b < plan.blocks().size(); ++b) {
    run.ip_batch(plan.blocks()[b].netns, route_lines(plan, links, next, static_cast<int>(b)));
  }
}

}  // namespace lp::lab
