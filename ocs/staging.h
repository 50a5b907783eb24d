// Staging: the changes from the base configuration to the target, ordered into stages an
// operator applies one after the other (Jupiter's drained increments). Within a stage the
// removals come first, so a port is always freed before it is reused; while a stage is applied
// (after its removals, before its additions) every block keeps at least --min-capacity of the
// circuits it had in the base, and the block graph has no more components than the base had
// (connected stays connected). Each stage takes every swap it safely can: an addition goes in
// as soon as the circuits holding its ports can be removed; removals that free no port for an
// addition wait until every addition is placed.
#pragma once

#include "ocs/plan_input.h"
#include "topo/fabric.h"

#include <vector>

namespace lp::ocs {

struct Stage {
  std::vector<topo::Circuit> remove;
  std::vector<topo::Circuit> add;
  double min_block_capacity = 1;  // smallest share of base circuits a block keeps during the stage
  bool connected = true;          // the block graph during the stage
};

// Throws lp::Error naming the block (or pair) and the setting when no safe order exists.
std::vector<Stage> plan_stages(const PlanInput& in, const topo::OcsConfig& target);

}  // namespace lp::ocs
