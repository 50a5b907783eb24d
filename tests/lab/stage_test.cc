// Stages as the lab applies them (removals, then additions, checked against the circuits set
// up), the diff between configurations, and the proposal reader's view of a proposal file.
#include "core/error.h"
#include "lab/proposal_stages.h"
#include "lab/setup.h"
#include "lab/stage.h"
#include "tests/lab/lab_fabric.h"
#include "tests/ocs/plan_helpers.h"

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

// The planner's proposal for traffic between b0-b2 and b1-b3, which the ring does not join.
json proposal() {
  const topo::Fabric f = fabric();
  topo::TrafficMatrix m = topo::TrafficMatrix::zeros(topo::TrafficLevel::kBlock, 1, {"b0", "b1", "b2", "b3"});
  m.at(0, 2) = m.at(2, 0) = m.at(1, 3) = m.at(3, 1) = 1e9;
  return ocs::testing::plan_verified(f, m, ring(), {}).doc;
}

TEST(LabProposal, ReadsThePlannersProposal) {
  const json doc = proposal();
  const ProposalStages p = parse_proposal_stages(doc, fabric(), "p.json");
  EXPECT_EQ(p.base.circuits, ring().circuits);
  ASSERT_FALSE(p.stages.empty());
  topo::OcsConfig at = p.base;
  for (std::size_t i = 0; i < p.stages.size(); ++i) at = apply_stage(at, p.stages[i], fabric(), "p.json", i);
  EXPECT_EQ(at.circuits, topo::parse_ocs_config(doc["target"], fabric(), "target").circuits);
  EXPECT_DOUBLE_EQ(p.predicted_hop_count, doc["metrics"]["after"]["hop_count"].get<double>());
  EXPECT_DOUBLE_EQ(p.predicted_hop_count, 1.0);
}

TEST(LabProposal, RefusesAProposalThatFailsVerification) {
  json doc = proposal();
  doc["stages"][0]["add"] = circuits_json({{6, 7}});  // both ports in block 1
  const std::string what = error_of([&] { parse_proposal_stages(doc, fabric(), "p.json"); });
  EXPECT_NE(what.find("p.json: fails"), std::string::npos) << what;
  EXPECT_NE(what.find("nothing was applied"), std::string::npos) << what;
  EXPECT_NE(what.find("stages[0].add"), std::string::npos) << what;
}

TEST(LabProposal, RefusesOtherFormatsAndOtherFabrics) {
  json doc = proposal();
  doc["format"] = "lightpath.ocs-proposal/2";
  EXPECT_THROW(parse_proposal_stages(doc, fabric(), "p.json"), InputError);
  doc = proposal();
  doc["fabric"] = "pod-b";
  EXPECT_NE(error_of([&] { parse_proposal_stages(doc, fabric(), "p.json"); }).find("names fabric 'pod-b'"),
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
