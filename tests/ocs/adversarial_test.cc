// Planner safety on adversarial fabrics: it finds a plan that verify accepts, or refuses with
// a reason that names the block or the setting.
#include "ocs/synth/synthetic.h"
#include "tests/ocs/plan_helpers.h"

#include <gtest/gtest.h>

namespace lp::ocs {
namespace {

using testing::plan_verified;
using testing::Planned;
using testing::problems;

std::string refusal(const topo::Fabric& f, const topo::TrafficMatrix& t, const PlanSettings& s = {},
                    std::optional<topo::OcsConfig> current = std::nullopt) {
  try {
    plan_verified(f, t, std::move(current), s);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Adversarial, EveryPortFailedOnOneOcs) {
  topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  for (int p = 0; p < f.ocs[2].ports; ++p) f.ocs[2].failed_ports.push_back(p);
  const Planned plan = plan_verified(f, synth::gravity_traffic(f, 0.4, 1), std::nullopt, {});
  EXPECT_TRUE(plan.report.ok()) << problems(plan.report);
  for (const topo::Circuit& c : plan.plan.target.circuits) EXPECT_NE(c.ocs, 2);
}

TEST(Adversarial, EveryOcsFailedIsRefused) {
  topo::Fabric f = synth::uniform_fabric(4, 2, 2, 0, 100, 1, "f");
  for (topo::Ocs& o : f.ocs) {
    for (int p = 0; p < o.ports; ++p) o.failed_ports.push_back(p);
  }
  const std::string why = refusal(f, synth::uniform_traffic(f, 10));
  EXPECT_NE(why.find("block 'b0' has no working uplink"), std::string::npos) << why;
}

TEST(Adversarial, BlockWithoutUplinksIsRefusedNamingIt) {
  topo::Fabric f = synth::uniform_fabric(5, 2, 2, 0, 100, 1, "f");
  f.blocks[3].uplinks.clear();
  const std::string why = refusal(f, synth::uniform_traffic(f, 10));
  EXPECT_NE(why.find("block 'b3' has no working uplink"), std::string::npos) << why;
  EXPECT_NE(why.find("Gbit/s of traffic cannot be carried"), std::string::npos) << why;
}

TEST(Adversarial, TrafficToABlockNoOneCanReachIsRefused) {
  // b4's only uplinks are on an OCS no other block uses.
  topo::Fabric f = synth::uniform_fabric(5, 2, 2, 0, 100, 1, "f");
  f.ocs.push_back({"lonely", 4, {}});
  f.blocks[4].uplinks = {{2, 0}, {2, 1}};
  const std::string why = refusal(f, synth::ring_traffic(f, 50));
  EXPECT_NE(why.find("blocks 'b4' share no OCS with blocks"), std::string::npos) << why;
}

TEST(Adversarial, SingleUplinkBlocksCannotFormAConnectedGraph) {
  topo::Fabric f = synth::uniform_fabric(4, 1, 1, 0, 100, 1, "f");
  const std::string why = refusal(f, synth::uniform_traffic(f, 10));
  EXPECT_NE(why.find("no connected block graph fits the working ports"), std::string::npos) << why;
}

TEST(Adversarial, TooManyPairCircuitsNamesTheFlag) {
  const topo::Fabric f = synth::uniform_fabric(6, 2, 2, 0, 100, 1, "f");
  PlanSettings s;
  s.min_pair_circuits = 1;  // 5 peers, 4 uplinks
  const std::string why = refusal(f, synth::uniform_traffic(f, 10), s);
  EXPECT_EQ(why.rfind("--min-pair-circuits: ", 0), 0u) << why;
}

TEST(Adversarial, ChurnBudgetTooSmallToConnectNamesTheFlag) {
  // Current: two separate halves; joining them takes at least two changes.
  const topo::Fabric f = synth::uniform_fabric(4, 1, 2, 0, 100, 1, "f");
  const topo::OcsConfig halves{{{0, 0, 2}, {0, 1, 3}, {0, 4, 6}, {0, 5, 7}}};
  PlanSettings s;
  s.max_churn = 1;
  const std::string why = refusal(f, synth::uniform_traffic(f, 10), s, halves);
  EXPECT_EQ(why.rfind("--max-churn: ", 0), 0u) << why;
}

TEST(Adversarial, NoTrafficPlansAMesh) {
  const topo::Fabric f = synth::uniform_fabric(6, 3, 2, 0, 100, 1, "f");
  const Planned p = plan_verified(f, synth::uniform_traffic(f, 0), std::nullopt, {});
  EXPECT_TRUE(p.report.ok()) << problems(p.report);
  EXPECT_DOUBLE_EQ(p.plan.after.direct_fraction, 1.0);
  const topo::BlockGraph g = topo::block_graph(f, p.plan.target);
  EXPECT_TRUE(g.connected);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      if (i != j) {
        EXPECT_GE(g.circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)], 1) << i << "-" << j;
      }
    }
  }
}

TEST(Adversarial, OneBlockHasNothingToPlan) {
  const topo::Fabric f = synth::uniform_fabric(1, 1, 2, 0, 100, 1, "f");
  const Planned p = plan_verified(f, synth::uniform_traffic(f, 0), std::nullopt, {});
  EXPECT_TRUE(p.report.ok()) << problems(p.report);
  EXPECT_TRUE(p.plan.target.circuits.empty());
}

TEST(Adversarial, ExactRefusesLargeFabrics) {
  const topo::Fabric f = synth::uniform_fabric(40, 64, 2, 0, 100, 1, "big");
  PlanSettings s;
  s.exact = true;
  const std::string why = refusal(f, synth::uniform_traffic(f, 1), s);
  EXPECT_EQ(why.rfind("--exact: ", 0), 0u) << why;
}

}  // namespace
}  // namespace lp::ocs
