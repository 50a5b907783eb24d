// Stages as the lab applies them (removals, then additions, checked against the circuits set
// up), the diff between configurations, and the proposal reader's view of a proposal file.
#include "core/error.h"
#include "lab/proposal_stages.h"
#include "lab/setup.h"
#include "lab/stage.h"
#include "tests/lab/lab_fabric.h"

#include <gtest/gtest.h>

namespace lp::lab {
namespace {

using nlohmann::json;
using test::circuit;

// Four blocks of four uplinks: block i at ports 4i .. 4i + 3. A ring 0-1-2-3.
topo::Fabric fabric() { return test::lab_fabric(4, 2, 4); }
// Sorted, as parse_ocs_config leaves a configuration.
topo::OcsConfig ring() { return {{circuit(0, 4), circuit(1, 13), circuit(5, 8), circuit(9, 12)}}; }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LabStage, RemovalsFreePortsForTheAdditionsOfTheSameStage) {
  // Port 0, freed by the removal, carries one of the additions.
  const Stage s{{{circuit(0, 4)}}, {{circuit(0, 10), circuit(2, 11)}}};
  const topo::OcsConfig after = apply_stage(ring(), s, fabric(), "p.json", 0);
  EXPECT_EQ(after.circuits, (std::vector<topo::Circuit>{circuit(0, 10), circuit(1, 13), circuit(2, 11),
                                                        circuit(5, 8), circuit(9, 12)}));
}

TEST(LabStage, EveryProblemIsReportedWithItsStageAndList) {
  const Stage bad{{{circuit(2, 6)}}, {{circuit(4, 10), circuit(3, 15)}}};
  const std::string what = error_of([&] { apply_stage(ring(), bad, fabric(), "p.json", 1); });
  EXPECT_NE(what.find("p.json: stages[1].remove[0]: circuit ocs0 ports 2-6 is not set up"), std::string::npos) << what;
  EXPECT_NE(what.find("stages[1].add[0]: port 4 still carries circuit ocs0 ports 0-4"), std::string::npos) << what;
  EXPECT_EQ(what.find("add[1]"), std::string::npos) << what;
}

TEST(LabStage, DiffListsWhatOnlyEachSideHas) {
  const topo::OcsConfig to{{circuit(0, 4), circuit(2, 10), circuit(9, 12)}};
  const Stage d = diff(ring(), to);
  EXPECT_EQ(d.remove.circuits, (std::vector<topo::Circuit>{circuit(1, 13), circuit(5, 8)}));
  EXPECT_EQ(d.add.circuits, (std::vector<topo::Circuit>{circuit(2, 10)}));
  EXPECT_EQ(apply_stage(ring(), d, fabric(), "diff", 0).circuits, to.circuits);
}

json circuits_json(const std::vector<std::pair<int, int>>& list) {
  json out = json::array();
  for (const auto& [a, b] : list) out.push_back({{"ocs", "ocs0"}, {"ports", {a, b}}});
  return out;
}

json proposal() {
  return {{"format", "lightpath.ocs-proposal/1"},
          {"fabric", "lab-test"},
          {"base", {{"format", "lightpath.ocs-config/1"}, {"circuits", circuits_json({{0, 4}, {5, 8}, {9, 12}, {1, 13}})}}},
          {"target", {{"format", "lightpath.ocs-config/1"}, {"circuits", json::array()}}},
          {"stages", {{{"remove", json::array()}, {"add", circuits_json({{2, 10}})}},
                      {{"remove", circuits_json({{0, 4}})}, {"add", circuits_json({{6, 14}})}}}},
          {"metrics", {{"after", {{"hop_count", 1.25}}}}}};
}

TEST(LabProposal, ReadsBaseStagesAndThePredictedHopCount) {
  const ProposalStages p = parse_proposal_stages(proposal(), fabric(), "p.json");
  EXPECT_EQ(p.base.circuits, ring().circuits);
  ASSERT_EQ(p.stages.size(), 2u);
  EXPECT_TRUE(p.stages[0].remove.circuits.empty());
  EXPECT_EQ(p.stages[0].add.circuits, (std::vector<topo::Circuit>{circuit(2, 10)}));
  EXPECT_EQ(p.stages[1].remove.circuits, (std::vector<topo::Circuit>{circuit(0, 4)}));
  ASSERT_TRUE(p.predicted_hop_count.has_value());
  EXPECT_DOUBLE_EQ(*p.predicted_hop_count, 1.25);
  json bare = proposal();
  bare.erase("metrics");
  EXPECT_FALSE(parse_proposal_stages(bare, fabric(), "p.json").predicted_hop_count.has_value());
}

TEST(LabProposal, StageCircuitsAreCheckedAgainstTheFabric) {
  json doc = proposal();
  doc["stages"][1]["add"] = circuits_json({{6, 7}});  // both ports in block 1
  const std::string what = error_of([&] { parse_proposal_stages(doc, fabric(), "p.json"); });
  EXPECT_NE(what.find("p.json: stages[1].add"), std::string::npos) << what;
  EXPECT_NE(what.find("both ends are in block 'b1'"), std::string::npos) << what;
}

TEST(LabProposal, RefusesOtherFormatsAndOtherFabrics) {
  json doc = proposal();
  doc["format"] = "lightpath.ocs-proposal/2";
  EXPECT_THROW(parse_proposal_stages(doc, fabric(), "p.json"), InputError);
  doc = proposal();
  doc["fabric"] = "pod-b";
  EXPECT_NE(error_of([&] { parse_proposal_stages(doc, fabric(), "p.json"); }).find("for fabric 'pod-b'"),
            std::string::npos);
  doc = proposal();
  doc["stages"][0].erase("add");
  EXPECT_NE(error_of([&] { parse_proposal_stages(doc, fabric(), "p.json"); }).find("stages[0]"), std::string::npos);
}

TEST(LabShaping, ScaleIsAFractionAndTheBucketHoldsASegment) {
  EXPECT_DOUBLE_EQ(parse_scale("1/1000"), 1e-3);
  EXPECT_DOUBLE_EQ(parse_scale("0.25"), 0.25);
  EXPECT_DOUBLE_EQ(parse_scale("1"), 1.0);
  for (const char* bad : {"2", "0", "-1/10", "1/0", "x", "1/1000x", ""}) {
    EXPECT_THROW(parse_scale(bad), InputError) << bad;
  }
  EXPECT_EQ(shaping_line("lpu0", 100e6), "qdisc replace dev lpu0 root tbf rate 100000000bit burst 98304 latency 20ms");
  EXPECT_EQ(shaping_line("lpu1", 100e9), "qdisc replace dev lpu1 root tbf rate 100000000000bit burst 25000000 latency 20ms");
}

}  // namespace
}  // namespace lp::lab
