// Everything a plan is computed from: the fabric, the block-level traffic, the circuits in
// place and the operator's settings, with the derived views the planner's stages share.
#pragma once

#include "ocs/demand.h"
#include "ocs/ports.h"
#include "topo/fabric.h"
#include "topo/traffic.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lp::ocs {

struct PlanSettings {
  double min_capacity = 0.75;        // --min-capacity: share of its base circuits a block keeps in every stage
  int min_pair_circuits = 0;         // --min-pair-circuits: circuits every block pair keeps
  std::optional<int> max_churn;      // --max-churn
  bool exact = false;                // --exact: one integer program over every OCS (small fabrics)
  double mlu_slack = 0;              // --mlu-slack: MLU a lower-churn target may give up, relative
  std::uint64_t seed = 1;            // --seed: the factorization's retry order
};

struct PlanInput {
  const topo::Fabric* fabric = nullptr;
  std::string fabric_source = "fabric";  // the file, for messages
  topo::TrafficMatrix traffic;        // block level, the fabric's blocks in order
  Demand demand;                      // Gbit/s
  topo::OcsConfig current;            // empty without --current
  bool has_current = false;
  PlanSettings settings;

  PortModel ports;
  PairIndex pairs{0};
  std::vector<std::vector<int>> current_counts;  // [ocs][pair]
  std::vector<int> base_degree;                  // circuits per block in `current`

  double link_gbps() const { return fabric->link_gbps; }
  // Demand of block i to block j in circuits (Gbit/s over link_gbps).
  double circuits_of_demand(int i, int j) const { return demand.at(i, j) / fabric->link_gbps; }
};

PlanInput make_plan_input(const topo::Fabric& fabric, topo::TrafficMatrix block_level,
                          std::optional<topo::OcsConfig> current, const PlanSettings& settings,
                          std::string fabric_source = "fabric");

}  // namespace lp::ocs
