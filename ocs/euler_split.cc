#include "ocs/euler_split.h"

#include "core/error.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>

namespace lp::ocs {
namespace {

struct Arc {
  int from, to, pair;
};

// Orients every circuit so that each block's out- and in-degrees differ by at most one:
// trails are walked from blocks of odd remaining degree first (each ends at another one), then
// from any block (closed trails), every edge oriented as walked. LEMON's EulerIt would do the
// walking, but its node maps of iterators use std::allocator::construct, gone in C++20.
std::vector<Arc> balanced_orientation(const PairIndex& pairs, const std::vector<int>& count) {
  const int n = pairs.blocks();
  std::vector<std::vector<int>> incident(static_cast<std::size_t>(n));
  std::vector<Arc> edges;
  for (int p = 0; p < pairs.count(); ++p) {
    for (int k = 0; k < count[static_cast<std::size_t>(p)]; ++k) {
      incident[static_cast<std::size_t>(pairs.first(p))].push_back(static_cast<int>(edges.size()));
      incident[static_cast<std::size_t>(pairs.second(p))].push_back(static_cast<int>(edges.size()));
      edges.push_back({pairs.first(p), pairs.second(p), p});
    }
  }
  std::vector<char> used(edges.size(), 0);
  std::vector<std::size_t> next(static_cast<std::size_t>(n), 0);
  std::vector<int> left(static_cast<std::size_t>(n));
  for (int v = 0; v < n; ++v) left[static_cast<std::size_t>(v)] = static_cast<int>(incident[static_cast<std::size_t>(v)].size());
  std::vector<Arc> arcs;
  const auto walk = [&](int v) {
    for (;;) {
      auto& k = next[static_cast<std::size_t>(v)];
      const auto& list = incident[static_cast<std::size_t>(v)];
      while (k < list.size() && used[static_cast<std::size_t>(list[k])]) ++k;
      if (k == list.size()) return;
      const int e = list[k];
      used[static_cast<std::size_t>(e)] = 1;
      const Arc& a = edges[static_cast<std::size_t>(e)];
      const int w = a.from == v ? a.to : a.from;
      --left[static_cast<std::size_t>(v)];
      --left[static_cast<std::size_t>(w)];
      arcs.push_back({v, w, a.pair});
      v = w;
    }
  };
  for (int v = 0; v < n; ++v) {
    if (left[static_cast<std::size_t>(v)] % 2 == 1) walk(v);
  }
  for (int v = 0; v < n; ++v) {
    if (left[static_cast<std::size_t>(v)] > 0) walk(v);
  }
  return arcs;
}

// Proper k-edge-coloring of a bipartite multigraph of maximum degree k (left vertices 0..L-1,
// right L..L+R-1) by alternating-path recoloring.
std::vector<int> color_bipartite(int vertices, const std::vector<std::pair<int, int>>& edges, int k) {
  std::vector<int> at(static_cast<std::size_t>(vertices) * static_cast<std::size_t>(k), -1);  // at[v*k+c]: edge
  std::vector<int> color(edges.size(), -1);
  const auto slot = [&](int v, int c) -> int& { return at[static_cast<std::size_t>(v) * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)]; };
  const auto free_color = [&](int v) {
    for (int c = 0; c < k; ++c) {
      if (slot(v, c) < 0) return c;
    }
    return -1;
  };
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto [a, b] = edges[e];
    const int alpha = free_color(a);
    const int beta = free_color(b);
    LP_ENFORCE(alpha >= 0 && beta >= 0, "bipartite coloring: degree above {}", k);
    if (slot(b, alpha) >= 0) {
      // Walk the alpha/beta path from b and swap its colors; it cannot reach a.
      std::vector<int> path;
      int v = b;
      int c = alpha;
      while (slot(v, c) >= 0) {
        const int f = slot(v, c);
        path.push_back(f);
        const auto [x, y] = edges[static_cast<std::size_t>(f)];
        v = x == v ? y : x;
        c = c == alpha ? beta : alpha;
      }
      for (const int f : path) {
        const auto [x, y] = edges[static_cast<std::size_t>(f)];
        slot(x, color[static_cast<std::size_t>(f)]) = -1;
        slot(y, color[static_cast<std::size_t>(f)]) = -1;
      }
      for (const int f : path) {
        const auto [x, y] = edges[static_cast<std::size_t>(f)];
        const int swapped = color[static_cast<std::size_t>(f)] == alpha ? beta : alpha;
        color[static_cast<std::size_t>(f)] = swapped;
        slot(x, swapped) = f;
        slot(y, swapped) = f;
      }
    }
    color[e] = alpha;
    slot(a, alpha) = static_cast<int>(e);
    slot(b, alpha) = static_cast<int>(e);
  }
  return color;
}

}  // namespace

std::vector<std::vector<int>> euler_split(const PairIndex& pairs, const std::vector<int>& count,
                                          const std::vector<int>& cap, int k) {
  const int n = pairs.blocks();
  const std::vector<Arc> arcs = balanced_orientation(pairs, count);
  // Copies: block v has cap[v]/2 out-copies and as many in-copies; its arcs go round-robin.
  std::vector<int> first_copy(static_cast<std::size_t>(n) + 1, 0);
  for (int v = 0; v < n; ++v) {
    LP_ENFORCE(cap[static_cast<std::size_t>(v)] % 2 == 0, "euler_split needs even capacities");
    first_copy[static_cast<std::size_t>(v) + 1] = first_copy[static_cast<std::size_t>(v)] + cap[static_cast<std::size_t>(v)] / 2;
  }
  const int side = first_copy[static_cast<std::size_t>(n)];
  std::vector<int> next_out(static_cast<std::size_t>(n), 0), next_in(static_cast<std::size_t>(n), 0);
  std::vector<std::pair<int, int>> edges;
  for (const Arc& a : arcs) {
    const int copies_from = cap[static_cast<std::size_t>(a.from)] / 2;
    const int copies_to = cap[static_cast<std::size_t>(a.to)] / 2;
    LP_ENFORCE(copies_from > 0 && copies_to > 0, "circuit on blocks without ports in the class");
    const int left = first_copy[static_cast<std::size_t>(a.from)] + next_out[static_cast<std::size_t>(a.from)]++ % copies_from;
    const int right = side + first_copy[static_cast<std::size_t>(a.to)] + next_in[static_cast<std::size_t>(a.to)]++ % copies_to;
    edges.emplace_back(left, right);
  }
  const std::vector<int> color = color_bipartite(2 * side, edges, k);
  std::vector<std::vector<int>> out(static_cast<std::size_t>(k), std::vector<int>(count.size(), 0));
  for (std::size_t e = 0; e < arcs.size(); ++e) {
    ++out[static_cast<std::size_t>(color[e])][static_cast<std::size_t>(arcs[e].pair)];
  }
  return out;
}

std::vector<int> match_colors(const std::vector<std::vector<int>>& colors,
                              const std::vector<std::vector<int>>& current) {
  const int k = static_cast<int>(colors.size());
  LP_ENFORCE_EQ(current.size(), colors.size(), "one current layout per color");
  lemon::SmartDigraph g;
  std::vector<lemon::SmartDigraph::Node> color_node, ocs_node;
  for (int c = 0; c < k; ++c) color_node.push_back(g.addNode());
  for (int m = 0; m < k; ++m) ocs_node.push_back(g.addNode());
  lemon::SmartDigraph::ArcMap<int> cost(g);
  std::vector<std::pair<lemon::SmartDigraph::Arc, std::pair<int, int>>> arcs;
  for (int c = 0; c < k; ++c) {
    for (int m = 0; m < k; ++m) {
      int overlap = 0;
      for (std::size_t p = 0; p < colors[static_cast<std::size_t>(c)].size(); ++p) {
        overlap += std::min(colors[static_cast<std::size_t>(c)][p], current[static_cast<std::size_t>(m)][p]);
      }
      const auto a = g.addArc(color_node[static_cast<std::size_t>(c)], ocs_node[static_cast<std::size_t>(m)]);
      cost[a] = -overlap;
      arcs.push_back({a, {c, m}});
    }
  }
  lemon::SmartDigraph::NodeMap<int> supply(g);
  for (int c = 0; c < k; ++c) {
    supply[color_node[static_cast<std::size_t>(c)]] = 1;
    supply[ocs_node[static_cast<std::size_t>(c)]] = -1;
  }
  lemon::NetworkSimplex<lemon::SmartDigraph> ns(g);
  ns.costMap(cost).supplyMap(supply);
  LP_ENFORCE(ns.run() == lemon::NetworkSimplex<lemon::SmartDigraph>::OPTIMAL, "color assignment");
  std::vector<int> color_of(static_cast<std::size_t>(k), -1);
  for (const auto& [a, cm] : arcs) {
    if (ns.flow(a) > 0) color_of[static_cast<std::size_t>(cm.second)] = cm.first;
  }
  return color_of;
}

}  // namespace lp::ocs
