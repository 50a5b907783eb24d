// lightpath.fabric/1 reading: a valid fabric round-trips, and each class of violation is
// reported with the file, the JSON path and the problem, all of them at once.
#include "core/error.h"
#include "topo/fabric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace lp::topo {
namespace {

using nlohmann::json;

// Two OCSes of 8 ports, three blocks with two uplinks each (one per OCS).
json good_fabric() {
  return json::parse(R"({
    "format": "lightpath.fabric/1", "name": "t", "link_gbps": 400, "transit": "block",
    "ocs": [{"name": "ocs0", "ports": 8, "failed_ports": [7]},
            {"name": "ocs1", "ports": 8}],
    "blocks": [
      {"name": "b0", "hosts": ["h0", "h1"], "uplinks": [{"ocs": "ocs0", "port": 0}, {"ocs": "ocs1", "port": 0}]},
      {"name": "b1", "hosts": ["h2"],       "uplinks": [{"ocs": "ocs0", "port": 1}, {"ocs": "ocs1", "port": 1}]},
      {"name": "b2", "hosts": [],           "uplinks": [{"ocs": "ocs0", "port": 2}, {"ocs": "ocs1", "port": 2}]}]})");
}

// The message of the InputError that parsing `doc` throws ("" when it parses).
std::string fabric_error(const json& doc) {
  try {
    parse_fabric(doc, "fab.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_problem(const json& doc, const std::string& path, const std::string& problem) {
  const std::string msg = fabric_error(doc);
  EXPECT_NE(msg.find("fab.json: " + path + ": "), std::string::npos) << msg;
  EXPECT_NE(msg.find(problem), std::string::npos) << msg;
}

TEST(Fabric, ParsesAndRoundTrips) {
  const Fabric f = parse_fabric(good_fabric(), "fab.json");
  EXPECT_EQ(f.name, "t");
  EXPECT_EQ(f.link_gbps, 400);
  ASSERT_EQ(f.ocs.size(), 2u);
  EXPECT_EQ(f.ocs[0].failed_ports, std::vector<int>{7});
  ASSERT_EQ(f.blocks.size(), 3u);
  EXPECT_EQ(f.block_index("b2"), 2);
  EXPECT_EQ(f.ocs_index("ocs1"), 1);
  EXPECT_EQ(f.ocs_index("nope"), -1);
  EXPECT_EQ(f.block_of_port(1, 1), 1);
  EXPECT_EQ(f.block_of_port(1, 5), -1);
  EXPECT_TRUE(f.port_failed(0, 7));
  EXPECT_FALSE(f.port_failed(1, 7));
  EXPECT_EQ(f.host_count(), 3u);
  EXPECT_EQ(f.port_owners()[0][2], 2);
  const Fabric again = parse_fabric(to_json(f), "again");
  EXPECT_EQ(to_json(again), to_json(f));
}

TEST(Fabric, UnknownFormat) {
  json doc = good_fabric();
  doc["format"] = "lightpath.fabric/2";
  expect_problem(doc, "format", "unknown format");
  doc.erase("format");
  expect_problem(doc, "format", "missing");
  EXPECT_NE(fabric_error(json::array()).find("expected a JSON object"), std::string::npos);
}

TEST(Fabric, WrongTypes) {
  json doc = good_fabric();
  doc["link_gbps"] = "fast";
  doc["ocs"][1]["ports"] = 8.5;
  doc["blocks"][0]["hosts"] = "h0";
  expect_problem(doc, "link_gbps", "expected a number, got a string");
  expect_problem(doc, "ocs[1].ports", "expected an integer");
  expect_problem(doc, "blocks[0].hosts", "expected an array");
}

TEST(Fabric, MissingFields) {
  json doc = good_fabric();
  doc["blocks"][1].erase("name");
  doc["ocs"][0].erase("ports");
  doc.erase("link_gbps");
  expect_problem(doc, "blocks[1].name", "missing");
  expect_problem(doc, "ocs[0].ports", "missing");
  expect_problem(doc, "link_gbps", "missing");
}

TEST(Fabric, BadNumbers) {
  json doc = good_fabric();
  doc["link_gbps"] = -1;
  doc["ocs"][0]["ports"] = 1e12;
  doc["ocs"][1]["ports"] = 4000000000ULL;
  doc["blocks"][0]["uplinks"][0]["port"] = -3;
  expect_problem(doc, "link_gbps", "out of range");
  expect_problem(doc, "ocs[0].ports", "expected an integer");
  expect_problem(doc, "ocs[1].ports", "out of range");
  expect_problem(doc, "blocks[0].uplinks[0].port", "out of range");
  doc = good_fabric();
  doc["link_gbps"] = std::numeric_limits<double>::quiet_NaN();
  expect_problem(doc, "link_gbps", "NaN");
  doc["link_gbps"] = std::numeric_limits<double>::infinity();
  expect_problem(doc, "link_gbps", "infinite");
}

TEST(Fabric, UnknownOcs) {
  json doc = good_fabric();
  doc["blocks"][2]["uplinks"][1]["ocs"] = "ocs9";
  expect_problem(doc, "blocks[2].uplinks[1].ocs", "unknown OCS 'ocs9'");
}

TEST(Fabric, PortOutOfRange) {
  json doc = good_fabric();
  doc["blocks"][1]["uplinks"][0]["port"] = 8;
  expect_problem(doc, "blocks[1].uplinks[0].port", "port 8 is out of range 0..7 of ocs0");
  doc = good_fabric();
  doc["ocs"][0]["failed_ports"] = {9};
  expect_problem(doc, "ocs[0].failed_ports[0]", "out of range");
}

TEST(Fabric, PortWiredTwice) {
  json doc = good_fabric();
  doc["blocks"][2]["uplinks"][0]["port"] = 1;
  expect_problem(doc, "blocks[2].uplinks[0].port", "ocs0 port 1 is wired twice (also blocks[1].uplinks[0])");
}

TEST(Fabric, HostInTwoBlocks) {
  json doc = good_fabric();
  doc["blocks"][2]["hosts"] = {"h1"};
  expect_problem(doc, "blocks[2].hosts[0]", "host 'h1' is in two blocks (also blocks[0].hosts[1])");
}

TEST(Fabric, DuplicateNames) {
  json doc = good_fabric();
  doc["blocks"][2]["name"] = "b0";
  doc["ocs"][1]["name"] = "ocs0";
  expect_problem(doc, "blocks[2].name", "duplicate block name 'b0' (also blocks[0])");
  expect_problem(doc, "ocs[1].name", "duplicate OCS name 'ocs0' (also ocs[0])");
}

TEST(Fabric, UnknownTransit) {
  json doc = good_fabric();
  doc["transit"] = "magic";
  expect_problem(doc, "transit", "unknown transit 'magic'");
  doc["transit"] = "spine";
  EXPECT_EQ(parse_fabric(doc, "f").transit, Transit::kSpine);
}

TEST(Fabric, ReportsEveryProblemAtOnce) {
  json doc = good_fabric();
  doc["link_gbps"] = -5;
  doc["blocks"][0]["uplinks"][0]["ocs"] = "nope";
  doc["blocks"][1]["uplinks"][1]["port"] = 99;
  doc["blocks"][2]["hosts"] = {"h2"};
  const std::string msg = fabric_error(doc);
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 3) << msg;
  for (const char* path : {"link_gbps", "blocks[0].uplinks[0].ocs", "blocks[1].uplinks[1].port",
                           "blocks[2].hosts[0]"}) {
    EXPECT_NE(msg.find(std::string("fab.json: ") + path + ":"), std::string::npos) << path;
  }
}

TEST(Fabric, LoadNamesTheFile) {
  try {
    load_fabric("/nonexistent/fabric.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/fabric.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace lp::topo
