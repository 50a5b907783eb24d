// Reads what the lab needs from a lightpath.ocs-proposal/1 file (DESIGN.md): the base
// configuration, the stages, and the planner's predicted hop count. Each stage's remove and
// add lists have the shape of an ocs-config's circuits, so they are validated against the
// fabric by the ocs-config reader. The ocs library's own proposal reader can take this file's
// place once the lab links it.
#pragma once

#include "lab/stage.h"
#include "topo/fabric.h"

#include <optional>
#include <string>
#include <vector>

namespace lp::lab {

struct ProposalStages {
  std::string fabric_name;
  topo::OcsConfig base;
  std::vector<Stage> stages;
  std::optional<double> predicted_hop_count;  // metrics.after.hop_count, when present
};

ProposalStages parse_proposal_stages(const nlohmann::json& doc, const topo::Fabric& fabric,
                                     const std::string& source);
ProposalStages load_proposal_stages(const std::string& path, const topo::Fabric& fabric);

}  // namespace lp::lab
