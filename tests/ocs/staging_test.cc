// Staging certificates: replaying the stages from the base gives the target; removals come
// first and free every port an addition then uses; capacity and connectivity hold in every
// stage; an impossible order is refused with the reason.
#include "core/error.h"
#include "ocs/staging.h"
#include "ocs/synth/synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace lp::ocs {
namespace {

PlanInput input(const topo::Fabric& f, const topo::OcsConfig& base, double min_capacity) {
  PlanSettings s;
  s.min_capacity = min_capacity;
  return make_plan_input(f, synth::uniform_traffic(f, 0), base, s);
}

// A target: the base with every circuit rotated to the next block on its OCS.
topo::OcsConfig rotated(const topo::Fabric& f) {
  topo::OcsConfig c;
  const int n = static_cast<int>(f.blocks.size());
  for (std::size_t o = 0; o < f.ocs.size(); ++o) {
    for (int b = 0; b < n; ++b) {
      const int a = 2 * b, z = 2 * ((b + 1) % n) + 1;
      c.circuits.push_back({static_cast<int>(o), std::min(a, z), std::max(a, z)});
    }
  }
  std::sort(c.circuits.begin(), c.circuits.end());
  return c;
}

TEST(Staging, ReplayGivesTheTargetSafely) {
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  const topo::OcsConfig base = synth::mesh_config(f);
  const topo::OcsConfig target = rotated(f);
  const PlanInput in = input(f, base, 0.75);
  const std::vector<Stage> stages = plan_stages(in, target);
  ASSERT_FALSE(stages.empty());
  std::set<topo::Circuit> state(base.circuits.begin(), base.circuits.end());
  const auto owner = f.port_owners();
  for (const Stage& s : stages) {
    for (const topo::Circuit& c : s.remove) EXPECT_EQ(state.erase(c), 1u);
    topo::OcsConfig during{{state.begin(), state.end()}};
    const topo::BlockGraph g = topo::block_graph(f, during);
    for (int b = 0; b < 8; ++b) EXPECT_GE(g.degree[static_cast<std::size_t>(b)], 6) << "block " << b;
    EXPECT_TRUE(g.connected);
    EXPECT_EQ(s.connected, g.connected);
    std::set<topo::PortRef> busy;
    for (const topo::Circuit& c : state) {
      busy.insert({c.ocs, c.a});
      busy.insert({c.ocs, c.b});
    }
    for (const topo::Circuit& c : s.add) {
      EXPECT_TRUE(busy.insert({c.ocs, c.a}).second);
      EXPECT_TRUE(busy.insert({c.ocs, c.b}).second);
      state.insert(c);
    }
  }
  EXPECT_EQ(std::vector<topo::Circuit>(state.begin(), state.end()), target.circuits);
}

TEST(Staging, TighterCapacityTakesMoreStages) {
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  const topo::OcsConfig base = synth::mesh_config(f);
  const std::size_t loose = plan_stages(input(f, base, 0.5), rotated(f)).size();
  const std::size_t tight = plan_stages(input(f, base, 0.75), rotated(f)).size();
  EXPECT_LT(loose, tight);
}

TEST(Staging, FreePortsNeedNoRemoval) {
  const topo::Fabric f = synth::uniform_fabric(4, 1, 2, 0, 100, 1, "f");
  const topo::OcsConfig base{{{0, 0, 2}}};
  const topo::OcsConfig target{{{0, 0, 2}, {0, 4, 6}}};
  const std::vector<Stage> stages = plan_stages(input(f, base, 1.0), target);
  ASSERT_EQ(stages.size(), 1u);
  EXPECT_TRUE(stages[0].remove.empty());
  EXPECT_EQ(stages[0].add, (std::vector<topo::Circuit>{{0, 4, 6}}));
}

TEST(Staging, RefusesWhenEveryBlockMustKeepEverything) {
  const topo::Fabric f = synth::uniform_fabric(8, 4, 2, 0, 100, 1, "f");
  try {
    plan_stages(input(f, synth::mesh_config(f), 1.0), rotated(f));
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("would keep 7 of its 8 circuits (--min-capacity 1)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lp::ocs
