// What the lab applies from a lightpath.ocs-proposal/1 file (DESIGN.md). The ocs library reads
// it and verifies it against the lab's fabric, the checks of `lightpath ocs verify`: a proposal
// that fails one is refused before any circuit changes. Its base and stages then become the
// lab's configurations and stage lists.
#pragma once

#include "lab/stage.h"
#include "topo/fabric.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::lab {

struct ProposalStages {
  topo::OcsConfig base;
  std::vector<Stage> stages;
  double predicted_hop_count = 1;  // metrics.after.hop_count
};

// Throws InputError naming `source` and every problem the reader or the verifier found.
ProposalStages parse_proposal_stages(const nlohmann::json& doc, const topo::Fabric& fabric,
                                     const std::string& source);
ProposalStages load_proposal_stages(const std::string& path, const topo::Fabric& fabric);

}  // namespace lp::lab
