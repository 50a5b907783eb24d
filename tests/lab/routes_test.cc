// Route computation for the block routers: direct circuits where there are any, every
// one-transit path by ECMP otherwise, and a certificate on random graphs that following any
// next hop reaches the destination in the fewest circuits.
#include "lab/routes.h"
#include "tests/lab/lab_fabric.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>

namespace lp::lab {
namespace {

using Hops = std::vector<std::size_t>;

TEST(LabRoutes, DirectCircuitsWinAndParallelOnesShareTheLoad) {
  // Blocks 0-1 twice, 1-2 and 0-2: 0 reaches 2 directly, 1 directly on both circuits.
  const NextHops next = next_hops(3, {{0, 1}, {0, 1}, {1, 2}, {0, 2}});
  EXPECT_EQ(next[0][2], (Hops{3}));
  EXPECT_EQ(next[1][0], (Hops{0, 1}));
  EXPECT_EQ(next[2][1], (Hops{2}));
  EXPECT_TRUE(next[1][1].empty());
}

TEST(LabRoutes, WithoutADirectCircuitEveryTransitBlockIsUsed) {
  // A ring of four: 0 reaches 2 through 1 and through 3.
  const NextHops next = next_hops(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
  EXPECT_EQ(next[0][2], (Hops{0, 3}));
  EXPECT_EQ(next[1][3], (Hops{0, 1}));
  EXPECT_EQ(next[0][1], (Hops{0}));
}

TEST(LabRoutes, LongerPathsOnlyWhereTheGraphHasNoShorterOne) {
  const NextHops next = next_hops(4, {{0, 1}, {1, 2}, {2, 3}});  // a line
  EXPECT_EQ(next[0][3], (Hops{0}));
  EXPECT_EQ(next[3][0], (Hops{2}));
}

TEST(LabRoutes, UnreachableBlocksGetNoNextHopAndAnUnreachableRoute) {
  const NextHops next = next_hops(3, {{0, 1}});
  EXPECT_TRUE(next[0][2].empty());
  const Plan plan(test::lab_fabric(3, 1, 2), "lp");
  const std::vector<CircuitLink> links = plan.links(topo::OcsConfig{{test::circuit(0, 2)}});
  const auto lines = route_lines(plan, links, next_hops(3, block_edges(links)), 0);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "route replace 198.19.1.0/24 nexthop via 198.18.128.1 dev lpu0 weight 1",
                       "route replace unreachable 198.19.2.0/24"}));
}

TEST(LabRoutes, LinesNameThePeerAddressAndTheLocalEnd) {
  // Ring 0-1-2-3 on two uplinks each; block 0 reaches 2 through 1 and 3.
  const Plan plan(test::lab_fabric(4, 1, 2), "lp");
  const std::vector<CircuitLink> links = plan.links(topo::OcsConfig{
      {test::circuit(0, 2), test::circuit(1, 7), test::circuit(3, 4), test::circuit(5, 6)}});
  const auto lines = route_lines(plan, links, next_hops(4, block_edges(links)), 0);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "route replace 198.19.2.0/24 nexthop via 198.18.128.1 dev lpu0 weight 1 "
                      "nexthop via 198.18.128.3 dev lpu1 weight 1");
  // Block 3 is the higher end of circuit 1-7, so it sends to the lower end's address.
  const auto from3 = route_lines(plan, links, next_hops(4, block_edges(links)), 3);
  EXPECT_EQ(from3[0], "route replace 198.19.0.0/24 nexthop via 198.18.128.2 dev lpu1 weight 1");
}

// Breadth-first distances from every block to `dst`.
std::vector<int> bfs(int n, const std::vector<BlockEdge>& edges, int dst) {
  std::vector<int> dist(static_cast<std::size_t>(n), -1);
  dist[static_cast<std::size_t>(dst)] = 0;
  std::deque<int> q{dst};
  while (!q.empty()) {
    const int u = q.front();
    q.pop_front();
    for (const BlockEdge& e : edges) {
      for (const auto& [x, y] : {std::pair{e.a, e.b}, std::pair{e.b, e.a}}) {
        if (x == u && dist[static_cast<std::size_t>(y)] < 0) {
          dist[static_cast<std::size_t>(y)] = dist[static_cast<std::size_t>(u)] + 1;
          q.push_back(y);
        }
      }
    }
  }
  return dist;
}

TEST(LabRoutes, EveryNextHopIsOneCircuitCloserOnRandomGraphs) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    const int n = 2 + static_cast<int>(rng() % 10);
    std::vector<BlockEdge> edges;
    const int m = static_cast<int>(rng() % static_cast<unsigned>(3 * n));
    for (int k = 0; k < m; ++k) {
      const int a = static_cast<int>(rng() % static_cast<unsigned>(n));
      const int b = static_cast<int>(rng() % static_cast<unsigned>(n));
      if (a != b) edges.push_back({a, b});
    }
    const NextHops next = next_hops(n, edges);
    for (int j = 0; j < n; ++j) {
      const std::vector<int> dist = bfs(n, edges, j);
      for (int i = 0; i < n; ++i) {
        const auto& hops = next[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        EXPECT_EQ(hops.empty(), i == j || dist[static_cast<std::size_t>(i)] < 0) << i << "->" << j;
        std::size_t on_shortest = 0;
        for (const BlockEdge& e : edges) {
          const int far = e.a == i ? e.b : e.b == i ? e.a : -1;
          if (far >= 0 && i != j && dist[static_cast<std::size_t>(far)] == dist[static_cast<std::size_t>(i)] - 1) {
            ++on_shortest;
          }
        }
        EXPECT_EQ(hops.size(), on_shortest) << "every shortest-path circuit is used";
        for (const std::size_t e : hops) {
          const int far = edges[e].a == i ? edges[e].b : edges[e].a;
          EXPECT_TRUE(edges[e].a == i || edges[e].b == i);
          EXPECT_EQ(dist[static_cast<std::size_t>(far)], dist[static_cast<std::size_t>(i)] - 1);
        }
      }
    }
  }
}

}  // namespace
}  // namespace lp::lab
