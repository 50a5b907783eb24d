// Metric definitions (DESIGN.md) on cases worked by hand, and the two MLU programs (the
// planner's and verify's) agreeing on random block graphs.
#include "ocs/metrics.h"
#include "ocs/mlu.h"
#include "ocs/verify_mlu.h"

#include <gtest/gtest.h>

#include <random>

namespace lp::ocs {
namespace {

Demand demand(int n, std::vector<double> gbps) {
  Demand d;
  d.blocks = n;
  d.gbps = std::move(gbps);
  return d;
}

PairCircuits graph(int n, const std::vector<std::tuple<int, int, int>>& edges) {
  PairCircuits x(static_cast<std::size_t>(n), std::vector<int>(static_cast<std::size_t>(n), 0));
  for (const auto& [i, j, c] : edges) {
    x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = c;
    x[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] = c;
  }
  return x;
}

TEST(Metrics, DirectFractionAndHopCount) {
  // 0->1 150 Gbit/s over one 100G circuit: 100 direct; 1->2 50 with none: 0 direct.
  const Demand d = demand(3, {0, 150, 0, 0, 0, 50, 0, 0, 0});
  const PairCircuits x = graph(3, {{0, 1, 1}, {0, 2, 1}});
  EXPECT_DOUBLE_EQ(direct_fraction(d, x, 100), 100.0 / 200.0);
  EXPECT_DOUBLE_EQ(hop_count(0.5), 1.5);
  EXPECT_DOUBLE_EQ(direct_fraction(demand(3, std::vector<double>(9, 0.0)), x, 100), 1.0);
}

TEST(Metrics, ChurnCountsRemovedPlusAdded) {
  topo::OcsConfig a{{{0, 0, 1}, {0, 2, 3}}};
  topo::OcsConfig b{{{0, 0, 1}, {0, 2, 4}, {1, 0, 5}}};
  EXPECT_EQ(churn(a, b), 3);
  EXPECT_EQ(churn(b, b), 0);
}

TEST(Mlu, TriangleSplitsOverTransit) {
  // 150 Gbit/s from 0 to 1, 100G circuits 0-1, 0-2, 2-1: 75 direct and 75 via block 2.
  const Demand d = demand(3, {0, 150, 0, 0, 0, 0, 0, 0, 0});
  const PairCircuits x = graph(3, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}});
  const Utilization u = max_link_utilization(d, x, 100);
  ASSERT_TRUE(u.mlu.has_value());
  EXPECT_NEAR(*u.mlu, 0.75, 1e-9);
  EXPECT_NEAR(*concurrent_flow_mlu(3, d.gbps, x, 100), 0.75, 1e-9);
}

TEST(Mlu, NoPathOfTwoCircuitsIsUnroutable) {
  // A path 0-1-2-3: 0 to 3 needs three circuits.
  std::vector<double> gbps(16, 0.0);
  gbps[3] = 10;
  const Demand d = demand(4, gbps);
  const PairCircuits x = graph(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
  const Utilization u = max_link_utilization(d, x, 100);
  EXPECT_FALSE(u.mlu.has_value());
  ASSERT_EQ(u.unroutable.size(), 1u);
  EXPECT_EQ(u.unroutable[0], std::make_pair(0, 3));
  EXPECT_FALSE(concurrent_flow_mlu(4, d.gbps, x, 100).has_value());
}

TEST(Mlu, BothFormulationsAgreeOnRandomGraphs) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 30; ++trial) {
    const int n = 4 + static_cast<int>(rng() % 9);
    PairCircuits x(static_cast<std::size_t>(n), std::vector<int>(static_cast<std::size_t>(n), 0));
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const int c = (j == i + 1 || rng() % 3 == 0) ? 1 + static_cast<int>(rng() % 3) : 0;
        x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = x[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] = c;
      }
    }
    x[0][static_cast<std::size_t>(n - 1)] = x[static_cast<std::size_t>(n - 1)][0] = 1;  // a ring: everything within reach of some path
    std::vector<double> gbps(static_cast<std::size_t>(n * n), 0.0);
    for (int s = 0; s < n; ++s) {
      for (int t = 0; t < n; ++t) {
        const bool near = s != t && (x[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)] > 0 || rng() % 4 == 0);
        if (near) gbps[static_cast<std::size_t>(s * n + t)] = static_cast<double>(rng() % 300);
      }
    }
    const Demand d = demand(n, gbps);
    const Utilization mine = max_link_utilization(d, x, 100);
    const std::optional<double> theirs = concurrent_flow_mlu(n, gbps, x, 100);
    ASSERT_EQ(mine.mlu.has_value(), theirs.has_value()) << "trial " << trial;
    if (mine.mlu) {
      EXPECT_NEAR(*mine.mlu, *theirs, 1e-6 * std::max(1.0, *theirs)) << "trial " << trial;
    }
  }
}

TEST(Mlu, SolverReusingPathsGivesTheSameOptimum) {
  const Demand d = demand(3, {0, 150, 40, 10, 0, 90, 60, 20, 0});
  MluSolver solver(d, 100);
  const PairCircuits a = graph(3, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}});
  const PairCircuits b = graph(3, {{0, 1, 2}, {0, 2, 1}, {1, 2, 1}});
  const double first = *solver.solve(a).mlu;
  EXPECT_NEAR(*solver.solve(b).mlu, *max_link_utilization(d, b, 100).mlu, 1e-9);
  EXPECT_NEAR(*solver.solve(a).mlu, first, 1e-9);
}

}  // namespace
}  // namespace lp::ocs
