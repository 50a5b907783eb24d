// Factorization certificates: Petersen splits stay within every block's ports on every OCS and
// keep every circuit; factoring the current configuration's own block graph changes nothing;
// a class that needs its circuits moved between OCSes still fits them all.
#include "ocs/euler_split.h"
#include "ocs/factorize.h"
#include "ocs/metrics.h"
#include "ocs/synth/synthetic.h"

#include <gtest/gtest.h>

#include <random>

namespace lp::ocs {
namespace {

TEST(EulerSplit, EveryColorWithinCapacityAndEveryCircuitKept) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 3 + static_cast<int>(rng() % 10);
    const int k = 1 + static_cast<int>(rng() % 6);
    const PairIndex pairs(n);
    std::vector<int> cap(static_cast<std::size_t>(n));
    for (int& c : cap) c = 2 * (1 + static_cast<int>(rng() % 2));
    // Random multigraph within k * cap, built edge by edge.
    std::vector<int> count(static_cast<std::size_t>(pairs.count()), 0), degree(static_cast<std::size_t>(n), 0);
    for (int tries = 0; tries < 2000; ++tries) {
      const int p = static_cast<int>(rng() % static_cast<std::uint64_t>(pairs.count()));
      const int i = pairs.first(p), j = pairs.second(p);
      if (degree[static_cast<std::size_t>(i)] < k * cap[static_cast<std::size_t>(i)] && degree[static_cast<std::size_t>(j)] < k * cap[static_cast<std::size_t>(j)]) {
        ++count[static_cast<std::size_t>(p)];
        ++degree[static_cast<std::size_t>(i)];
        ++degree[static_cast<std::size_t>(j)];
      }
    }
    const auto colors = euler_split(pairs, count, cap, k);
    ASSERT_EQ(colors.size(), static_cast<std::size_t>(k));
    std::vector<int> total(count.size(), 0);
    for (const auto& c : colors) {
      std::vector<int> deg(static_cast<std::size_t>(n), 0);
      for (int p = 0; p < pairs.count(); ++p) {
        total[static_cast<std::size_t>(p)] += c[static_cast<std::size_t>(p)];
        deg[static_cast<std::size_t>(pairs.first(p))] += c[static_cast<std::size_t>(p)];
        deg[static_cast<std::size_t>(pairs.second(p))] += c[static_cast<std::size_t>(p)];
      }
      for (int v = 0; v < n; ++v) EXPECT_LE(deg[static_cast<std::size_t>(v)], cap[static_cast<std::size_t>(v)]) << "trial " << trial;
    }
    EXPECT_EQ(total, count) << "trial " << trial;
  }
}

TEST(MatchColors, PicksTheAssignmentKeepingMost) {
  // Colour 0 equals OCS 1's current circuits, colour 1 equals OCS 0's.
  const std::vector<std::vector<int>> colors{{2, 0}, {0, 2}};
  const std::vector<std::vector<int>> current{{0, 2}, {2, 0}};
  EXPECT_EQ(match_colors(colors, current), (std::vector<int>{1, 0}));
}

PlanInput input(const topo::Fabric& f, std::optional<topo::OcsConfig> current) {
  return make_plan_input(f, synth::uniform_traffic(f, 0), std::move(current), {});
}

ClassCounts class_counts(const PlanInput& in, const std::vector<OcsClass>& classes, const topo::OcsConfig& config) {
  const auto per_ocs = circuit_counts(config, in.ports, in.pairs);
  ClassCounts out(classes.size(), std::vector<int>(static_cast<std::size_t>(in.pairs.count()), 0));
  for (std::size_t c = 0; c < classes.size(); ++c) {
    for (const int o : classes[c].members) {
      for (int p = 0; p < in.pairs.count(); ++p) out[c][static_cast<std::size_t>(p)] += per_ocs[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)];
    }
  }
  return out;
}

TEST(Factorize, TheCurrentBlockGraphKeepsEveryCircuit) {
  const topo::Fabric f = synth::uniform_fabric(16, 8, 2, 0, 100, 1, "f");
  const topo::OcsConfig mesh = synth::mesh_config(f);
  const PlanInput in = input(f, mesh);
  const auto classes = ocs_classes(in.ports);
  const Layout layout = factorize(in, classes, class_counts(in, classes, mesh), true, std::nullopt);
  EXPECT_EQ(layout.unplaced, 0);
  EXPECT_EQ(layout.churn, 0);
  EXPECT_EQ(assign_ports(in, layout.counts, true).circuits, mesh.circuits);
}

TEST(Factorize, FitsATargetThatNeedsCircuitsMoved) {
  // One port per block on each of 3 OCSes (each OCS a matching): a triangle of blocks 0, 1, 2
  // wants a circuit on every pair plus pairs to 3, 4, 5; the current layout puts them badly.
  const topo::Fabric f = synth::uniform_fabric(6, 3, 1, 0, 100, 1, "f");
  const PlanInput in = input(f, std::nullopt);
  const auto classes = ocs_classes(in.ports);
  ASSERT_EQ(classes.size(), 1u);
  ClassCounts want(1, std::vector<int>(static_cast<std::size_t>(in.pairs.count()), 0));
  for (const auto& [i, j] : std::vector<std::pair<int, int>>{{0, 1}, {1, 2}, {0, 2}, {0, 3}, {1, 4}, {2, 5}, {3, 4}, {4, 5}, {3, 5}}) {
    want[0][static_cast<std::size_t>(in.pairs.index(i, j))] = 1;
  }
  const Layout layout = factorize(in, classes, want, false, std::nullopt);
  EXPECT_EQ(layout.unplaced, 0);
  const topo::OcsConfig config = assign_ports(in, layout.counts, false);
  EXPECT_EQ(config.circuits.size(), 9u);
  for (int o = 0; o < 3; ++o) {
    std::vector<int> deg(6, 0);
    for (const topo::Circuit& c : config.circuits) {
      if (c.ocs != o) continue;
      ++deg[static_cast<std::size_t>(in.ports.owner[static_cast<std::size_t>(o)][static_cast<std::size_t>(c.a)])];
      ++deg[static_cast<std::size_t>(in.ports.owner[static_cast<std::size_t>(o)][static_cast<std::size_t>(c.b)])];
    }
    for (const int d : deg) EXPECT_LE(d, 1);
  }
}

TEST(Factorize, AShiftedTargetChangesFewCircuits) {
  // 16 blocks, 8 OCSes of 2 ports per block, a mesh in place; the target moves circuits
  // between pairs by 2-swaps ((a,b),(c,d) -> (a,c),(b,d)) at the block level.
  const topo::Fabric f = synth::uniform_fabric(16, 8, 2, 0, 100, 1, "f");
  const topo::OcsConfig mesh = synth::mesh_config(f);
  const PlanInput in = input(f, mesh);
  const auto classes = ocs_classes(in.ports);
  ClassCounts want = class_counts(in, classes, mesh);
  auto& row = want[0];
  int moved = 0;
  for (int a = 0; a + 3 < 16; a += 4) {
    const int b = a + 1, c = a + 2, d = a + 3;
    for (const auto& [x, y, step] : std::vector<std::tuple<int, int, int>>{{a, b, -1}, {c, d, -1}, {a, c, 1}, {b, d, 1}}) {
      row[static_cast<std::size_t>(in.pairs.index(x, y))] += step;
      ++moved;
    }
  }
  const Layout layout = factorize(in, classes, want, true, std::nullopt);
  EXPECT_EQ(layout.unplaced, 0);
  EXPECT_GE(layout.churn, moved);
  EXPECT_LE(layout.churn, 3 * moved) << "the layout moved far more circuits than the block graph changed";
  const topo::OcsConfig config = assign_ports(in, layout.counts, true);
  EXPECT_EQ(churn(mesh, config), layout.churn);
}

TEST(AssignPorts, PutsBackRemovedCircuitsWhosePortsStayFree) {
  const topo::Fabric f = synth::uniform_fabric(4, 1, 2, 0, 100, 1, "f");
  const topo::OcsConfig current{{{0, 0, 2}, {0, 4, 6}}};
  const PlanInput in = input(f, current);
  std::vector<std::vector<int>> counts(1, std::vector<int>(static_cast<std::size_t>(in.pairs.count()), 0));
  counts[0][static_cast<std::size_t>(in.pairs.index(0, 1))] = 1;  // keeps 0-2; 4-6 not asked for
  EXPECT_EQ(assign_ports(in, counts, true).circuits, current.circuits);
}

}  // namespace
}  // namespace lp::ocs
