// Applying a reconfiguration to a running lab, stage by stage: the stage's removals, then its
// additions, then every block router's routes, then a check that every block still reaches
// every other. The lab's circuits are saved after every stage, so a failure leaves the lab
// described as it is.
#pragma once

#include "lab/runner.h"
#include "lab/stage.h"
#include "lab/state.h"

#include <functional>
#include <string>
#include <vector>

namespace lp::lab {

struct StageTiming {
  std::size_t removed = 0;
  std::size_t added = 0;
  double removals_s = 0;
  double additions_s = 0;
  double routes_s = 0;
  double check_s = 0;
  double total_s = 0;
};

// Applies `stages` to `state`, saving it after each step; `report` hears of each stage done.
// Every stage is checked against the circuits before it first (InputError, nothing changed).
// Throws Error naming the block pairs that no longer reach each other after a stage.
void apply_stages(LabState& state, const std::vector<Stage>& stages, const Runner& run,
                  const std::function<void(std::size_t, const StageTiming&)>& report);

// Circuit rate of a lab in bit/s: link_gbps x scale.
double circuit_rate_bps(const LabState& state);

// Throws Error naming the block pairs that do not reach each other (probe.h), `when` telling
// at which point.
void check_reachable(const Plan& plan, const std::string& when);

}  // namespace lp::lab
