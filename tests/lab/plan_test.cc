// The lab's naming and addressing plan: names carry the prefix and fit IFNAMSIZ, addresses stay
// in 198.18.0.0/15 and never collide, and fabrics the plan cannot hold are refused up front.
#include "core/error.h"
#include "lab/plan.h"
#include "tests/lab/lab_fabric.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <set>

namespace lp::lab {
namespace {

using test::circuit;
using test::lab_fabric;

bool in_benchmark_range(const std::string& dotted) {
  in_addr a{};
  if (::inet_pton(AF_INET, dotted.c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) & 0xfffe0000u) == 0xc6120000u;  // 198.18.0.0/15
}

TEST(LabPlan, NamesAndAddressesOfHostsAndBlocks) {
  const Plan plan(lab_fabric(4, 2, 4), "lp");
  EXPECT_EQ(plan.mgmt_netns(), "lp-mgmt");
  EXPECT_EQ(plan.mgmt_gateway(), "198.18.0.1");
  const BlockPlan& b2 = plan.blocks()[2];
  EXPECT_EQ(b2.netns, "lp-b-b2");
  EXPECT_EQ(b2.subnet, "198.19.2.0/24");
  EXPECT_EQ(b2.gateway, "198.19.2.1");
  EXPECT_EQ(b2.hosts, (std::vector<int>{4, 5}));
  const HostPlan& h3 = plan.hosts()[3];  // block 1's second host
  EXPECT_EQ(h3.name, "h3");
  EXPECT_EQ(h3.block, 1);
  EXPECT_EQ(h3.netns, "lp-h-h3");
  EXPECT_EQ(h3.fabric_addr, "198.19.1.3");
  EXPECT_EQ(h3.mgmt_addr, "198.18.0.5");
  EXPECT_EQ(h3.block_port, "lph1");
  EXPECT_EQ(h3.mgmt_port, "lpm3");
  EXPECT_EQ(plan.host_index("h3"), 3);
  EXPECT_EQ(plan.host_index("h99"), -1);
  EXPECT_EQ(plan.namespaces().size(), 1u + 4 + 8);
}

TEST(LabPlan, CircuitEndsAreNamedByUplinkAndAddressedByTheLowerPort) {
  const Plan plan(lab_fabric(4, 2, 4), "lp");
  // Port 5 is block 1's uplink 1 (global uplink 5); port 9 is block 2's uplink 1.
  const CircuitLink l = plan.link(circuit(5, 9));
  EXPECT_EQ(l.a.block, 1);
  EXPECT_EQ(l.a.ifname, "lpu1");
  EXPECT_EQ(l.a.address, "198.18.128.10");
  EXPECT_EQ(l.b.block, 2);
  EXPECT_EQ(l.b.ifname, "lpu1");
  EXPECT_EQ(l.b.address, "198.18.128.11");
}

// Certificate: over every circuit a configuration could hold, each port's /31 is its own, and
// every address and name of the lab is in range, distinct and carries the prefix.
TEST(LabPlan, EveryAddressIsInTheBenchmarkRangeAndUnique) {
  const topo::Fabric f = lab_fabric(5, 3, 4);
  const Plan plan(f, "abc123");
  std::set<std::string> addresses{plan.mgmt_gateway()};
  for (const BlockPlan& b : plan.blocks()) {
    EXPECT_TRUE(addresses.insert(b.gateway).second) << b.gateway;
    EXPECT_EQ(b.netns.rfind("abc123-", 0), 0u);
  }
  for (const HostPlan& h : plan.hosts()) {
    EXPECT_TRUE(addresses.insert(h.fabric_addr).second) << h.fabric_addr;
    EXPECT_TRUE(addresses.insert(h.mgmt_addr).second) << h.mgmt_addr;
    for (const std::string& ifname : {h.fabric_if, h.mgmt_if, h.block_port, h.mgmt_port}) {
      EXPECT_EQ(ifname.rfind("abc123", 0), 0u) << ifname;
      EXPECT_LE(ifname.size(), 15u) << ifname;
    }
  }
  // Each lower port of a circuit gets its own /31: every port but the last block's is the
  // lower end of a circuit to the next block's first port.
  const int ports = 5 * 4;
  for (int a = 0; (a / 4 + 1) * 4 < ports; ++a) {
    const CircuitLink l = plan.link(circuit(a, (a / 4 + 1) * 4));
    EXPECT_EQ(l.a.ifname, "abc123u" + std::to_string(a % 4));
    EXPECT_EQ(l.b.ifname, "abc123u0");
    EXPECT_TRUE(addresses.insert(l.a.address).second) << l.a.address;
    EXPECT_TRUE(addresses.insert(l.b.address).second) << l.b.address;
  }
  for (const std::string& a : addresses) EXPECT_TRUE(in_benchmark_range(a)) << a;
}

TEST(LabPlan, PrefixesMustBeShortLowerCaseWords) {
  for (const char* bad : {"", "LP", "1lp", "lp-x", "toolong7"}) {
    EXPECT_THROW(check_prefix(bad), InputError) << bad;
  }
  EXPECT_NO_THROW(check_prefix("lp"));
  EXPECT_NO_THROW(check_prefix("t12345"));
  EXPECT_THROW(Plan(lab_fabric(2, 1, 1), "Bad"), InputError);
}

TEST(LabPlan, NamesUnfitForNamespacesAreRefusedWithTheirPath) {
  nlohmann::json doc = topo::to_json(lab_fabric(2, 2, 1));
  doc["blocks"][1]["hosts"][1] = "node/7";
  try {
    Plan(topo::parse_fabric(doc, "f.json"), "lp");
    ADD_FAILURE() << "a host name with a slash was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("blocks[1].hosts[1]"), std::string::npos) << e.what();
  }
}

TEST(LabPlan, FabricsBeyondTheAddressPlanAreRefused) {
  EXPECT_THROW(Plan(lab_fabric(1, 254, 1), "lp"), InputError);
  EXPECT_NO_THROW(Plan(lab_fabric(1, 253, 1), "lp"));
  EXPECT_THROW(Plan(lab_fabric(257, 0, 1), "lp"), InputError);
}

TEST(LabPlan, LeftoversAreRecognizedByTheirNamesOnly) {
  EXPECT_TRUE(is_lab_netns("lp", "lp-mgmt"));
  EXPECT_TRUE(is_lab_netns("lp", "lp-b-b0"));
  EXPECT_TRUE(is_lab_netns("lp", "lp-h-node001"));
  EXPECT_FALSE(is_lab_netns("lp", "lp-b-"));
  EXPECT_FALSE(is_lab_netns("lp", "lpx-h-a"));
  EXPECT_FALSE(is_lab_netns("lp", "lp-other"));
  EXPECT_FALSE(is_lab_netns("lp", "mgmt"));
}

}  // namespace
}  // namespace lp::lab
