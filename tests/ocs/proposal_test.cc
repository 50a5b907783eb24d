// The proposal reader: a written proposal reads back the same, and malformed ones are
// reported with the file, the JSON path and the problem, all at once.
#include "ocs/json_text.h"
#include "ocs/synth/synthetic.h"
#include "tests/ocs/plan_helpers.h"

#include <gtest/gtest.h>

namespace lp::ocs {
namespace {

using nlohmann::json;

json sample() {
  const topo::Fabric f = synth::uniform_fabric(6, 2, 2, 0, 100, 1, "f");
  return testing::plan_verified(f, synth::ring_traffic(f, 150), synth::mesh_config(f), {}).doc;
}

std::string error_of(const json& doc) {
  try {
    parse_proposal(doc, "p.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_problem(const json& doc, const std::string& path, const std::string& problem) {
  const std::string msg = error_of(doc);
  EXPECT_NE(msg.find("p.json: " + path + ": " + problem), std::string::npos) << msg;
}

TEST(ProposalReader, RoundTripsThroughText) {
  const json doc = sample();
  const Proposal a = parse_proposal(doc, "p.json");
  const Proposal b = parse_proposal(json::parse(json_text(doc)), "p.json");
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.base, b.base);
  ASSERT_EQ(a.stages.size(), b.stages.size());
  EXPECT_EQ(a.after.churn, b.after.churn);
  EXPECT_EQ(a.block_graph.after, b.block_graph.after);
  EXPECT_FALSE(a.stages.empty());
  EXPECT_EQ(a.stages[0].add[0].blocks.size(), 2u);
}

TEST(ProposalReader, UnknownFormat) {
  json doc = sample();
  doc["format"] = "lightpath.ocs-proposal/2";
  expect_problem(doc, "format", "unknown format \"lightpath.ocs-proposal/2\"");
}

TEST(ProposalReader, EveryProblemAtOnce) {
  json doc = sample();
  doc["target"]["circuits"][0]["ports"] = {3, 3};
  doc["stages"][0]["min_block_capacity"] = 1.5;
  doc["stages"][0]["connected"] = "yes";
  doc["metrics"]["after"]["direct_fraction"] = -0.1;
  doc["metrics"]["after"]["churn"] = 2.5;
  doc["block_graph"]["after"][0][1] = 99;
  const std::string msg = error_of(doc);
  for (const char* want : {"p.json: target.circuits[0].ports: both ends are port 3",
                           "p.json: stages[0].min_block_capacity: 1.5 is out of range",
                           "p.json: stages[0].connected: expected a boolean, got a string",
                           "p.json: metrics.after.direct_fraction: -0.1 is out of range",
                           "p.json: metrics.after.churn: expected an integer",
                           "p.json: block_graph.after[0][1]: differs from [1][0]"}) {
    EXPECT_NE(msg.find(want), std::string::npos) << want << "\n" << msg;
  }
}

TEST(ProposalReader, MissingAndMistypedFields) {
  json doc = sample();
  doc.erase("stages");
  doc["base"] = "none";
  doc["metrics"]["before"].erase("mlu");
  expect_problem(doc, "stages", "missing");
  expect_problem(doc, "base", "expected an object (lightpath.ocs-config/1), got a string");
  expect_problem(doc, "metrics.before.mlu", "missing");
}

TEST(ProposalReader, BadTrafficIsReportedInside) {
  json doc = sample();
  doc["traffic"]["matrix"][0][1] = -5;
  expect_problem(doc, "traffic: matrix[0][1]", "-5 is out of range");
}

TEST(ProposalReader, DuplicateCircuitsAndBadStageBlocks) {
  json doc = sample();
  doc["target"]["circuits"].push_back(doc["target"]["circuits"][0]);
  doc["stages"][0]["add"][0]["blocks"] = {"b0"};
  const std::string msg = error_of(doc);
  EXPECT_NE(msg.find("listed twice"), std::string::npos) << msg;
  EXPECT_NE(msg.find("stages[0].add[0].blocks: expected 2 blocks, got 1"), std::string::npos) << msg;
}

TEST(ProposalReader, NotJsonNamesTheFile) {
  EXPECT_THROW(load_proposal("/nonexistent/p.json"), InputError);
  EXPECT_NE(error_of(json::array()).find("p.json: expected a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace lp::ocs
