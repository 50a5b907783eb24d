// verify: an independent check of a proposal against its fabric, written apart from the
// planner (no planner code runs): every circuit on a real, working, wired port, no port used
// twice, no circuit inside a block; the stages replayed from base to target, each removal
// present, each addition's ports free once the stage's removals are done, capacity and
// connectivity recomputed while every stage is applied; the settings' constraints on the
// target (connected, --min-pair-circuits, --max-churn); the metrics recomputed from the
// proposal's own traffic (F and H directly, MLU by a linear program of its own), the bound at
// least F; and the block summary the proposal carries.
#pragma once

#include "ocs/proposal.h"
#include "topo/fabric.h"

#include <string>
#include <vector>

namespace lp::ocs {

struct VerifyReport {
  std::vector<std::string> problems;  // "SOURCE: path: problem"
  int checks = 0;                     // facts checked
  bool ok() const { return problems.empty(); }
};

VerifyReport verify_proposal(const topo::Fabric& fabric, const Proposal& proposal, const std::string& source);

}  // namespace lp::ocs
