// lightpath.ocs-config/1 reading against a fabric: one test per class of violation, and the
// block graph (circuits per pair, degrees, connectivity, diameter).
#include "core/error.h"
#include "topo/fabric.h"

#include <gtest/gtest.h>

namespace lp::topo {
namespace {

using nlohmann::json;

// One OCS of 16 ports; block i is wired to ports 3i, 3i+1, 3i+2 (i < 4); ports 12..15 are
// unwired and port 2 failed.
Fabric four_blocks() {
  json blocks = json::array();
  for (int b = 0; b < 4; ++b) {
    json up = json::array();
    for (int k = 0; k < 3; ++k) up.push_back({{"ocs", "x"}, {"port", 3 * b + k}});
    blocks.push_back({{"name", "b" + std::to_string(b)}, {"hosts", json::array()}, {"uplinks", up}});
  }
  return parse_fabric({{"format", "lightpath.fabric/1"}, {"name", "f"}, {"link_gbps", 100},
                       {"ocs", {{{"name", "x"}, {"ports", 16}, {"failed_ports", {2}}}}},
                       {"blocks", blocks}},
                      "f.json");
}

json config(const std::vector<json>& circuits) {
  return {{"format", "lightpath.ocs-config/1"}, {"circuits", json(circuits)}};
}
json circuit(int a, int b, const char* ocs = "x") { return {{"ocs", ocs}, {"ports", {a, b}}}; }

std::string config_error(const json& doc) {
  try {
    parse_ocs_config(doc, four_blocks(), "cfg.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_config_problem(const json& doc, const std::string& path, const std::string& problem) {
  const std::string msg = config_error(doc);
  EXPECT_NE(msg.find("cfg.json: " + path + ": "), std::string::npos) << msg;
  EXPECT_NE(msg.find(problem), std::string::npos) << msg;
}

TEST(OcsConfig, ParsesSortsAndRoundTrips) {
  const Fabric f = four_blocks();
  const OcsConfig c = parse_ocs_config(config({circuit(4, 0), circuit(1, 7)}), f, "cfg.json");
  ASSERT_EQ(c.circuits.size(), 2u);
  EXPECT_EQ(c.circuits[0], (Circuit{0, 0, 4}));
  EXPECT_EQ(c.circuits[1], (Circuit{0, 1, 7}));
  EXPECT_EQ(parse_ocs_config(to_json(c, f), f, "again").circuits, c.circuits);
}

TEST(OcsConfig, UnknownFormat) {
  expect_config_problem({{"format", "lightpath.ocs-config/9"}, {"circuits", json::array()}}, "format", "unknown format");
}

TEST(OcsConfig, WrongTypesAndMissingFields) {
  expect_config_problem(config({{{"ocs", "x"}}}), "circuits[0].ports", "missing");
  expect_config_problem(config({{{"ocs", "x"}, {"ports", {0, "3"}}}}), "circuits[0].ports[1]", "expected an integer");
  expect_config_problem(config({{{"ocs", "x"}, {"ports", {0, 3, 6}}}}), "circuits[0].ports", "expected 2 ports");
  expect_config_problem({{"format", "lightpath.ocs-config/1"}}, "circuits", "missing");
}

TEST(OcsConfig, UnknownOcs) { expect_config_problem(config({circuit(0, 3, "y")}), "circuits[0].ocs", "unknown OCS 'y'"); }

TEST(OcsConfig, PortOutOfRange) {
  expect_config_problem(config({circuit(0, 16)}), "circuits[0].ports[1]", "port 16 is out of range 0..15 of x");
  expect_config_problem(config({circuit(-1, 3)}), "circuits[0].ports[0]", "out of range");
}

TEST(OcsConfig, FailedPortInUse) {
  expect_config_problem(config({circuit(2, 3)}), "circuits[0].ports[0]", "x port 2 is failed");
}

TEST(OcsConfig, BothEndsInOneBlock) {
  expect_config_problem(config({circuit(3, 4)}), "circuits[0].ports", "both ends are in block 'b1'");
  expect_config_problem(config({circuit(5, 5)}), "circuits[0].ports", "both ends are port 5");
}

TEST(OcsConfig, PortNotWired) {
  expect_config_problem(config({circuit(0, 13)}), "circuits[0].ports[1]", "x port 13 is not wired to any block");
}

TEST(OcsConfig, PortUsedByTwoCircuits) {
  expect_config_problem(config({circuit(0, 3), circuit(6, 0)}), "circuits[1].ports",
                 "x port 0 is used by two circuits (also circuits[0])");
}

TEST(OcsConfig, ReportsEveryProblemAtOnce) {
  const std::string msg = config_error(config({circuit(2, 3), circuit(3, 4), circuit(0, 14)}));
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 3) << msg;  // failed, same port, same block, unwired
}

TEST(BlockGraph, RingOfFourBlocks) {
  const Fabric f = four_blocks();
  // b0-b1, b1-b2, b2-b3, b3-b0 and a second b0-b1 circuit.
  const OcsConfig c = parse_ocs_config(
      config({circuit(0, 3), circuit(4, 6), circuit(7, 9), circuit(10, 1), circuit(5, 11)}), f, "c");
  const BlockGraph g = block_graph(f, c);
  EXPECT_EQ(g.blocks, 4);
  EXPECT_EQ(g.circuits[0][1], 1);
  EXPECT_EQ(g.circuits[1][3], 1);
  EXPECT_EQ(g.circuits[0][3], 1);
  EXPECT_EQ(g.circuits[3][0], 1);
  EXPECT_EQ(g.circuits[0][2], 0);
  EXPECT_EQ(g.degree, (std::vector<int>{2, 3, 2, 3}));
  EXPECT_EQ(g.uplinks, (std::vector<int>{2, 3, 3, 3}));  // port 2 of b0 failed
  EXPECT_TRUE(g.connected);
  EXPECT_EQ(g.diameter, 2);
  int sum = 0;
  for (int d : g.degree) sum += d;
  EXPECT_EQ(sum, 2 * static_cast<int>(c.circuits.size()));
}

TEST(BlockGraph, DisconnectedAndPath) {
  const Fabric f = four_blocks();
  const BlockGraph split = block_graph(f, parse_ocs_config(config({circuit(0, 3), circuit(6, 9)}), f, "c"));
  EXPECT_FALSE(split.connected);
  EXPECT_EQ(split.diameter, -1);
  const BlockGraph path = block_graph(
      f, parse_ocs_config(config({circuit(0, 3), circuit(4, 6), circuit(7, 9)}), f, "c"));
  EXPECT_TRUE(path.connected);
  EXPECT_EQ(path.diameter, 3);
  EXPECT_EQ(path.degree, (std::vector<int>{1, 2, 2, 1}));
}

}  // namespace
}  // namespace lp::topo
