// Shared by the planner's tests: plan, write the proposal as `lightpath ocs plan` would, read
// it back and verify it (every test's certificate).
#pragma once

#include "core/error.h"
#include "ocs/plan_input.h"
#include "ocs/planner.h"
#include "ocs/proposal.h"
#include "ocs/verify.h"
#include "topo/fabric.h"
#include "topo/traffic.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace lp::ocs::testing {

struct Planned {
  Plan plan;
  nlohmann::json doc;
  Proposal proposal;
  VerifyReport report;
};

inline Planned plan_verified(const topo::Fabric& fabric, const topo::TrafficMatrix& block_traffic,
                             std::optional<topo::OcsConfig> current, const PlanSettings& settings) {
  const PlanInput in = make_plan_input(fabric, block_traffic, std::move(current), settings);
  Planned out{make_plan(in), {}, {}, {}};
  out.doc = proposal_json(out.plan, in, settings_json(settings));
  out.proposal = parse_proposal(out.doc, "proposal.json");
  out.report = verify_proposal(fabric, out.proposal, "proposal.json");
  return out;
}

inline std::string problems(const VerifyReport& r) {
  std::string s;
  for (const std::string& line : r.problems) s += line + "\n";
  return s;
}

// Circuits between blocks i and j in a configuration.
inline int circuits_between(const topo::Fabric& f, const topo::OcsConfig& c, int i, int j) {
  return topo::block_graph(f, c).circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
}

}  // namespace lp::ocs::testing
