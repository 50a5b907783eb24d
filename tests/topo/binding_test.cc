#include "core/error.h"
#include "topo/binding.h"
#include "topo/host.h"

#include <gtest/gtest.h>

#include <set>

namespace lp::topo {
namespace {

// Two NUMA nodes of four single-thread cores each (PUs 0-3 and 4-7).
PlacementModel two_sockets(std::vector<NicInfo> nics) {
  PlacementModel m;
  m.numa_nodes = 2;
  for (unsigned c = 0; c < 8; ++c) m.cores.push_back({static_cast<int>(c / 4), {c}});
  m.nics = std::move(nics);
  return m;
}

unsigned pu(const CoreSlot& s) { return s.pus.at(0); }

TEST(Binding, ParsesPolicies) {
  EXPECT_EQ(parse_bind_policy("auto"), BindPolicy::kAuto);
  EXPECT_EQ(to_string(parse_bind_policy("numa")), "numa");
  try {
    parse_bind_policy("socket");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--bind"), std::string::npos);
  }
}

TEST(Binding, CorePacksAndWraps) {
  const auto plan = plan_binding(two_sockets({}), BindPolicy::kCore, 10, "");
  ASSERT_EQ(plan.size(), 10u);
  for (unsigned r = 0; r < 10; ++r) EXPECT_EQ(pu(plan[r]), r % 8);
}

TEST(Binding, NumaGivesWholeNodesRoundRobin) {
  const auto plan = plan_binding(two_sockets({}), BindPolicy::kNuma, 3, "");
  EXPECT_EQ(plan[0].pus, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_EQ(plan[1].pus, (std::vector<unsigned>{4, 5, 6, 7}));
  EXPECT_EQ(plan[2].pus, plan[0].pus);
}

TEST(Binding, AutoWithoutNicsSpreadsOverNumaNodes) {
  const auto plan = plan_binding(two_sockets({}), BindPolicy::kAuto, 4, "");
  EXPECT_EQ(pu(plan[0]) / 4, 0u);
  EXPECT_EQ(pu(plan[1]) / 4, 1u);
  EXPECT_EQ(pu(plan[2]) / 4, 0u);
  EXPECT_EQ(pu(plan[3]) / 4, 1u);
}

TEST(Binding, AutoFillsCoresNearTheNicFirst) {
  const auto plan = plan_binding(two_sockets({{"mlx5_0", {1}}}), BindPolicy::kAuto, 6, "");
  std::set<unsigned> used;
  for (int r = 0; r < 4; ++r) {
    EXPECT_EQ(pu(plan[r]) / 4, 1u) << "rank " << r << " should sit next to the NIC";
    EXPECT_EQ(plan[r].near, "mlx5_0");
    used.insert(pu(plan[r]));
  }
  EXPECT_EQ(used.size(), 4u);  // one rank per core
  EXPECT_EQ(pu(plan[4]) / 4, 0u);  // then the other node
  EXPECT_EQ(pu(plan[5]) / 4, 0u);
  EXPECT_NE(pu(plan[4]), pu(plan[5]));
}

TEST(Binding, AutoRoundRobinsOverNicsOnDifferentNodes) {
  const auto plan = plan_binding(two_sockets({{"mlx5_0", {0}}, {"mlx5_1", {1}}}), BindPolicy::kAuto, 4, "");
  EXPECT_EQ(plan[0].near, "mlx5_0");
  EXPECT_EQ(pu(plan[0]) / 4, 0u);
  EXPECT_EQ(plan[1].near, "mlx5_1");
  EXPECT_EQ(pu(plan[1]) / 4, 1u);
  EXPECT_EQ(pu(plan[2]) / 4, 0u);
  EXPECT_EQ(pu(plan[3]) / 4, 1u);
}

TEST(Binding, AutoHonoursTheNicHint) {
  const auto plan = plan_binding(two_sockets({{"mlx5_0", {0}}, {"mlx5_1", {1}}}), BindPolicy::kAuto, 2, "mlx5_1:1");
  for (const CoreSlot& s : plan) {
    EXPECT_EQ(s.near, "mlx5_1");
    EXPECT_EQ(pu(s) / 4, 1u);
  }
}

TEST(Binding, AutoOversubscribedSharesTheLeastUsedCores) {
  const auto plan = plan_binding(two_sockets({}), BindPolicy::kAuto, 16, "");
  std::vector<int> per_pu(8, 0);
  for (const CoreSlot& s : plan) ++per_pu[pu(s)];
  for (int n : per_pu) EXPECT_EQ(n, 2);
}

TEST(Binding, NoneLeavesThePlanEmptyAndReadsBack) {
  EXPECT_TRUE(plan_binding(two_sockets({}), BindPolicy::kNone, 4, "").empty());
  const Binding b = bind_process(BindPolicy::kNone, 0, 1, "");
  EXPECT_FALSE(b.cpus.empty());  // whatever this process may run on, read from the kernel
  EXPECT_FALSE(b.numa.empty());
  EXPECT_FALSE(b.oversubscribed);
}

TEST(Host, DiscoversThisMachine) {
  const HostTopology h = discover_host();
  EXPECT_GE(h.packages, 1);
  EXPECT_GE(h.numa_nodes, 1);
  EXPECT_GE(h.cores, 1);
  EXPECT_GE(h.pus, h.cores);
  EXPECT_EQ(h.numa.size(), static_cast<std::size_t>(h.numa_nodes));
  const auto j = to_json(h);
  for (const char* k : {"hostname", "packages", "numa_nodes", "cores", "pus", "caches", "devices"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(summary_json(h)["pus"], h.pus);
}

}  // namespace
}  // namespace lp::topo
