// verify catches what a broken planner or a hand edit could do to a proposal.
#include "ocs/synth/synthetic.h"
#include "tests/ocs/plan_helpers.h"

#include <gtest/gtest.h>

namespace lp::ocs {
namespace {

using nlohmann::json;

struct Case {
  topo::Fabric fabric = synth::uniform_fabric(6, 2, 2, 1, 100, 1, "f");
  json doc = testing::plan_verified(fabric, synth::ring_traffic(fabric, 150), synth::mesh_config(fabric), {}).doc;

  std::string problems() const {
    const VerifyReport r = verify_proposal(fabric, parse_proposal(doc, "p.json"), "p.json");
    return testing::problems(r);
  }
};

void expect(const Case& c, const std::string& want) {
  const std::string got = c.problems();
  EXPECT_NE(got.find(want), std::string::npos) << "want: " << want << "\ngot:\n" << got;
}

TEST(Verify, AcceptsThePlannersProposal) { EXPECT_EQ(Case{}.problems(), ""); }

TEST(Verify, WrongFabric) {
  Case c;
  c.doc["fabric"] = "other";
  expect(c, "p.json: fabric: names fabric 'other', the fabric file is 'f'");
}

TEST(Verify, RecomputesTheMetrics) {
  Case c;
  c.doc["metrics"]["after"]["direct_fraction"] = 0.5;
  c.doc["metrics"]["after"]["mlu"] = 0.01;
  c.doc["metrics"]["after"]["churn"] = 1;
  expect(c, "metrics.after.direct_fraction: says 0.5, recomputed");
  expect(c, "metrics.after.mlu: says 0.01, recomputed");
  expect(c, "metrics.after.churn: says 1, recomputed");
}

TEST(Verify, BoundBelowTheTarget) {
  Case c;
  c.doc["metrics"]["bound"]["direct_fraction"] = 0.1;
  expect(c, "metrics.bound.direct_fraction: 0.1 is below the target's direct fraction");
}

TEST(Verify, FailedPortInTheTarget) {
  Case c;
  c.fabric.ocs[0].failed_ports = {c.doc["target"]["circuits"][0]["ports"][0].get<int>()};
  expect(c, "target.circuits[0]: ocs0 port");
  expect(c, "is failed");
}

TEST(Verify, PortUsedTwiceAndUnwiredPort) {
  Case c;
  json circuits = c.doc["target"]["circuits"];
  json twin = circuits[0];
  twin["ports"] = {circuits[0]["ports"][0], circuits[1]["ports"][0]};
  json spare = circuits[0];
  spare["ports"] = {circuits[2]["ports"][1], 12};  // port 12 is the spare: wired to no block
  circuits.push_back(twin);
  circuits.push_back(spare);
  c.doc["target"]["circuits"] = circuits;
  expect(c, "carries two circuits");
  expect(c, "port 12 is wired to no block");
}

TEST(Verify, StagesThatDoNotReplay) {
  Case c;
  ASSERT_FALSE(c.doc["stages"].empty());
  c.doc["stages"][0]["remove"].erase(0);
  expect(c, "is not free when the circuit is added");
  expect(c, "stages: applied in order to base they do not give target");
}

TEST(Verify, StageCapacityAndConnectivityRecomputed) {
  Case c;
  json& stage = c.doc["stages"][0];
  stage["min_block_capacity"] = 1.0;
  stage["connected"] = false;
  expect(c, "stages[0].min_block_capacity: says 1, the stage leaves");
  expect(c, "stages[0].connected: says false, the block graph during the stage has 1 components");
}

TEST(Verify, StageBlocksMustMatchTheWiring) {
  Case c;
  c.doc["stages"][0]["add"][0]["blocks"] = {"b5", "b4"};
  expect(c, "stages[0].add[0]: names blocks [\"b5\",\"b4\"], the ports are wired to");
}

TEST(Verify, SettingsAreEnforcedOnTheTarget) {
  Case c;
  c.doc["settings"]["max_churn"] = 1;
  c.doc["settings"]["min_pair_circuits"] = 2;
  c.doc["settings"]["min_capacity"] = 1.0;
  expect(c, "target: ");
  expect(c, "changes, over max_churn 1");
  expect(c, "under min_pair_circuits 2");
  expect(c, "under min_capacity 1");
}

TEST(Verify, SummaryMustMatch) {
  Case c;
  c.doc["block_graph"]["uplinks"][0] = 3;
  c.doc["block_graph"]["link_gbps"] = 400;
  expect(c, "block_graph.uplinks: differ from the fabric's working uplinks");
  expect(c, "block_graph.link_gbps: says 400, the fabric 100");
}

}  // namespace
}  // namespace lp::ocs
