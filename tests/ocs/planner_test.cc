// The planner's certificates: every proposal passes the independent verify (each port once,
// no failed or unwired port, degrees within the ports, connected, stages safe, metrics
// recomputed), the fast F equals --exact's on random small fabrics, known optima are
// reached, the settings are honoured, and planning is deterministic and idempotent.
#include "ocs/block_program.h"
#include "ocs/factorize.h"
#include "ocs/json_text.h"
#include "ocs/mlu.h"
#include "ocs/mlu_search.h"
#include "ocs/synth/synthetic.h"
#include "tests/ocs/plan_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace lp::ocs {
namespace {

using testing::circuits_between;
using testing::plan_verified;
using testing::Planned;
using testing::problems;

TEST(Planner, RandomFabricsVerifyAndMatchExact) {
  int planned = 0;
  for (std::uint64_t seed = 1; planned < 12 && seed < 60; ++seed) {
    const topo::Fabric f = synth::random_fabric(seed, 10, 6);
    const topo::TrafficMatrix t = synth::random_traffic(f, 150, seed);
    PlanSettings exact;
    exact.exact = true;
    std::optional<Planned> fast;
    try {
      fast = plan_verified(f, t, std::nullopt, {});
    } catch (const InputError&) {
      // No connected plan fits this random fabric: --exact must refuse it as well.
      EXPECT_THROW(plan_verified(f, t, std::nullopt, exact), InputError) << "seed " << seed;
      continue;
    }
    ++planned;
    EXPECT_TRUE(fast->report.ok()) << "seed " << seed << "\n" << problems(fast->report);
    const Planned ex = plan_verified(f, t, std::nullopt, exact);
    EXPECT_TRUE(ex.report.ok()) << "seed " << seed << "\n" << problems(ex.report);
    EXPECT_NEAR(fast->plan.after.direct_fraction, ex.plan.after.direct_fraction, 1e-6) << "seed " << seed;
    EXPECT_LE(ex.plan.after.direct_fraction, fast->plan.bound + 1e-9) << "seed " << seed;
  }
  EXPECT_EQ(planned, 12);
}

TEST(Planner, ReplansFromARandomCurrentConfiguration) {
  for (std::uint64_t seed = 100; seed < 112; ++seed) {
    const topo::Fabric f = synth::uniform_fabric(6 + static_cast<int>(seed % 5), 3, 2, 2, 100, 1, "u");
    const topo::TrafficMatrix t = synth::gravity_traffic(f, 0.3, seed);
    const Planned p = plan_verified(f, t, synth::mesh_config(f), {});
    EXPECT_TRUE(p.report.ok()) << problems(p.report);
    EXPECT_GE(p.plan.after.direct_fraction, p.plan.before.direct_fraction - 1e-12);
  }
}

TEST(Planner, FailedPortsAreNeverUsed) {
  topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  for (topo::Ocs& o : f.ocs) o.failed_ports = {0, 5, 9};
  const Planned p = plan_verified(f, synth::gravity_traffic(f, 0.4, 3), std::nullopt, {});
  ASSERT_TRUE(p.report.ok()) << problems(p.report);
  for (const topo::Circuit& c : p.plan.target.circuits) {
    EXPECT_FALSE(f.port_failed(c.ocs, c.a));
    EXPECT_FALSE(f.port_failed(c.ocs, c.b));
  }
}

TEST(Planner, MaxChurnIsRespected) {
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  const topo::TrafficMatrix t = synth::ring_traffic(f, 250);
  const Planned free_plan = plan_verified(f, t, synth::mesh_config(f), {});
  ASSERT_GT(free_plan.plan.after.churn, 6);
  PlanSettings s;
  s.max_churn = 6;
  const Planned p = plan_verified(f, t, synth::mesh_config(f), s);
  EXPECT_TRUE(p.report.ok()) << problems(p.report);
  EXPECT_LE(p.plan.after.churn, 6);
  EXPECT_GE(p.plan.after.direct_fraction, p.plan.before.direct_fraction);
}

TEST(Planner, MinPairCircuitsKeepsAMesh) {
  const topo::Fabric f = synth::uniform_fabric(6, 4, 2, 0, 100, 1, "f");
  PlanSettings s;
  s.min_pair_circuits = 1;
  const Planned p = plan_verified(f, synth::ring_traffic(f, 300), std::nullopt, s);
  ASSERT_TRUE(p.report.ok()) << problems(p.report);
  for (int i = 0; i < 6; ++i) {
    for (int j = i + 1; j < 6; ++j) EXPECT_GE(circuits_between(f, p.plan.target, i, j), 1);
  }
}

TEST(Planner, RingAllReduceReachesHopCountOne) {
  // Each block sends 150 Gbit/s to the next; 4 uplinks per block allow 2 circuits each way.
  const topo::Fabric f = synth::uniform_fabric(10, 2, 2, 0, 100, 1, "ring");
  const Planned p = plan_verified(f, synth::ring_traffic(f, 150), synth::mesh_config(f), {});
  ASSERT_TRUE(p.report.ok()) << problems(p.report);
  EXPECT_DOUBLE_EQ(p.plan.after.hop_count, 1.0);
  EXPECT_DOUBLE_EQ(p.plan.bound, 1.0);
}

TEST(Planner, UniformTrafficGetsAUniformMesh) {
  // 8 blocks, 8 uplinks: every pair gets 1 circuit and one more pairing uses the spare port.
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "mesh");
  const Planned p = plan_verified(f, synth::uniform_traffic(f, 300), std::nullopt, {});
  ASSERT_TRUE(p.report.ok()) << problems(p.report);
  int lo = 1 << 20, hi = 0;
  for (int i = 0; i < 8; ++i) {
    for (int j = i + 1; j < 8; ++j) {
      lo = std::min(lo, circuits_between(f, p.plan.target, i, j));
      hi = std::max(hi, circuits_between(f, p.plan.target, i, j));
    }
  }
  EXPECT_GE(lo, 1);
  EXPECT_LE(hi - lo, 1);
}

TEST(Planner, SameInputsGiveByteIdenticalProposals) {
  const topo::Fabric f = synth::uniform_fabric(9, 3, 2, 1, 100, 1, "d");
  const topo::TrafficMatrix t = synth::gravity_traffic(f, 0.5, 9);
  const std::string a = json_text(plan_verified(f, t, synth::mesh_config(f), {}).doc);
  const std::string b = json_text(plan_verified(f, t, synth::mesh_config(f), {}).doc);
  EXPECT_EQ(a, b);
}

TEST(Planner, PlanningAgainFromTheTargetChangesNothing) {
  for (std::uint64_t seed = 20; seed < 26; ++seed) {
    const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "again");
    const topo::TrafficMatrix t = synth::gravity_traffic(f, 0.5, seed);
    const Planned first = plan_verified(f, t, synth::mesh_config(f), {});
    ASSERT_TRUE(first.report.ok()) << problems(first.report);
    const Planned second = plan_verified(f, t, first.plan.target, {});
    EXPECT_EQ(second.plan.after.churn, 0) << "seed " << seed;
    EXPECT_TRUE(second.plan.stages.empty());
    EXPECT_EQ(second.plan.target.circuits, first.plan.target.circuits);
  }
}

TEST(Planner, StagesKeepTheCapacityAsked) {
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "s");
  PlanSettings s;
  s.min_capacity = 0.875;
  const Planned p = plan_verified(f, synth::ring_traffic(f, 350), synth::mesh_config(f), s);
  ASSERT_TRUE(p.report.ok()) << problems(p.report);
  ASSERT_GT(p.plan.stages.size(), 1u);
  for (const Stage& st : p.plan.stages) {
    EXPECT_GE(st.min_block_capacity, 0.875);
    EXPECT_TRUE(st.connected);
  }
}

TEST(Planner, FullCapacityCannotBeStagedOnAFullFabric) {
  // Every port in use and every block asked to keep all its circuits: no circuit can move.
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "s");
  PlanSettings s;
  s.min_capacity = 1.0;
  try {
    plan_verified(f, synth::ring_traffic(f, 350), synth::mesh_config(f), s);
    FAIL() << "expected a refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--min-capacity"), std::string::npos) << e.what();
  }
}

TEST(Planner, ExactAgreesOnMinChurnWhenTheCurrentIsOptimal) {
  const topo::Fabric f = synth::uniform_fabric(6, 2, 2, 0, 100, 1, "e");
  const topo::TrafficMatrix t = synth::ring_traffic(f, 150);
  PlanSettings exact;
  exact.exact = true;
  const Planned first = plan_verified(f, t, std::nullopt, exact);
  ASSERT_TRUE(first.report.ok()) << problems(first.report);
  const Planned again = plan_verified(f, t, first.plan.target, exact);
  EXPECT_EQ(again.plan.after.churn, 0);
}

TEST(MluSearch, NeverRaisesMluNorLowersF) {
  for (std::uint64_t seed = 40; seed < 48; ++seed) {
    const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "m");
    const PlanInput in = make_plan_input(f, synth::random_traffic(f, 180, seed), std::nullopt, {});
    const auto classes = ocs_classes(in.ports);
    BlockProgram program(in, classes);
    ASSERT_TRUE(program.max_direct());
    const ClassCounts start = program.round_to(program.mlu_capacities());
    MluSolver mlu(in.demand, in.link_gbps());
    const ClassCounts better = lower_mlu(in, classes, start, mlu);
    const auto graph = [&](const ClassCounts& counts) {
      return topo::block_graph(f, assign_ports(in, factorize(in, classes, counts, false, std::nullopt).counts, false)).circuits;
    };
    const PairCircuits a = graph(start), b = graph(better);
    EXPECT_GE(direct_fraction(in.demand, b, 100), direct_fraction(in.demand, a, 100) - 1e-12) << "seed " << seed;
    const auto ma = max_link_utilization(in.demand, a, 100).mlu, mb = max_link_utilization(in.demand, b, 100).mlu;
    ASSERT_TRUE(ma && mb);
    EXPECT_LE(*mb, *ma * (1 + 1e-9)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace lp::ocs
