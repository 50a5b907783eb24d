#include "lab/proposal_stages.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "ocs/proposal.h"
#include "ocs/verify.h"
#include "topo/problems.h"

#include <fmt/format.h>

namespace lp::lab {
namespace {

topo::OcsConfig config_of(const std::vector<ocs::NamedCircuit>& list, const topo::Fabric& fabric,
                          const std::string& source) {
  nlohmann::json circuits = nlohmann::json::array();
  for (const ocs::NamedCircuit& c : list) circuits.push_back({{"ocs", c.ocs}, {"ports", {c.a, c.b}}});
  return topo::parse_ocs_config({{"format", "lightpath.ocs-config/1"}, {"circuits", circuits}}, fabric, source);
}

}  // namespace

ProposalStages parse_proposal_stages(const nlohmann::json& doc, const topo::Fabric& fabric,
                                     const std::string& source) {
  const ocs::Proposal proposal = ocs::parse_proposal(doc, source);
  const ocs::VerifyReport report = ocs::verify_proposal(fabric, proposal, source);
  if (!report.ok()) {
    throw InputError(fmt::format("{}: fails {} of the {} checks of `lightpath ocs verify`, so nothing was "
                                 "applied:\n  {}",
                                 source, report.problems.size(), report.checks,
                                 fmt::join(report.problems, "\n  ")));
  }
  ProposalStages out;
  out.base = config_of(proposal.base, fabric, source + ": base");
  for (std::size_t i = 0; i < proposal.stages.size(); ++i) {
    const std::string path = source + ": " + topo::json_path("stages", i);
    out.stages.push_back({config_of(proposal.stages[i].remove, fabric, path + ".remove"),
                          config_of(proposal.stages[i].add, fabric, path + ".add")});
  }
  out.predicted_hop_count = proposal.after.hop_count;
  return out;
}

ProposalStages load_proposal_stages(const std::string& path, const topo::Fabric& fabric) {
  return parse_proposal_stages(topo::parse_json(read_file(path), path), fabric, path);
}

}  // namespace lp::lab
