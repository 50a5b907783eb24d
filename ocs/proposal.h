// lightpath.ocs-proposal/1 (DESIGN.md): what an operator reviews and a tool can apply. The
// writer turns a plan into it; the reader parses and validates one (every problem reported at
// once, with its JSON path) for verify, report and anything else that applies proposals.
//
// Besides DESIGN.md's fields a proposal from `lightpath ocs plan` carries, for readers without
// the fabric file (the reader takes them as optional; report needs the block graph):
//  - "blocks" on every stage circuit: the two blocks its ports are wired to;
//  - "block_graph": the block names, their working uplinks, the link speed and the circuits
//    per block pair before and after;
//  - "planner": how the target was found (path, OCS classes, candidates compared).
#pragma once

#include "ocs/plan_input.h"
#include "ocs/planner.h"
#include "topo/traffic.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lp::ocs {

inline constexpr const char* kProposalFormat = "lightpath.ocs-proposal/1";

// A circuit as a proposal names it.
struct NamedCircuit {
  std::string ocs;
  int a = 0;  // ports, a < b
  int b = 0;
  std::vector<std::string> blocks;  // stage circuits: the two blocks; empty in base and target
  friend bool operator==(const NamedCircuit& x, const NamedCircuit& y) {
    return x.ocs == y.ocs && x.a == y.a && x.b == y.b;
  }
  friend auto operator<=>(const NamedCircuit& x, const NamedCircuit& y) {
    if (auto c = x.ocs <=> y.ocs; c != 0) return c;
    if (auto c = x.a <=> y.a; c != 0) return c;
    return x.b <=> y.b;
  }
};

struct ProposalStage {
  std::vector<NamedCircuit> remove;
  std::vector<NamedCircuit> add;
  double min_block_capacity = 1;
  bool connected = true;
};

struct ProposalMetrics {
  double direct_fraction = 1;
  double hop_count = 1;
  std::optional<double> mlu;  // null in the file: some demand has no path of one or two circuits
  int churn = 0;
};

struct BlockSummary {
  bool present() const { return !blocks.empty(); }
  std::vector<std::string> blocks;
  std::vector<int> uplinks;                 // working, per block
  double link_gbps = 0;
  std::vector<std::vector<int>> before;     // circuits per block pair
  std::vector<std::vector<int>> after;
};

struct Proposal {
  std::string fabric;
  std::vector<NamedCircuit> base;    // sorted
  std::vector<NamedCircuit> target;  // sorted
  std::vector<ProposalStage> stages;
  ProposalMetrics before;
  ProposalMetrics after;
  double bound_direct_fraction = 1;
  topo::TrafficMatrix traffic;       // block level
  nlohmann::json settings;
  BlockSummary block_graph;
  nlohmann::json planner;
};

// `settings` holds every planner option and the seed (and whatever else the caller records,
// such as the input files).
nlohmann::json proposal_json(const Plan& plan, const PlanInput& in, const nlohmann::json& settings);
// The settings object for `s` (the part proposal_json's caller starts from).
nlohmann::json settings_json(const PlanSettings& s);

Proposal parse_proposal(const nlohmann::json& doc, const std::string& source);
Proposal load_proposal(const std::string& path);

}  // namespace lp::ocs
