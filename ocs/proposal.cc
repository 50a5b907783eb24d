// The proposal writer.
#include "ocs/proposal.h"

#include "topo/fabric.h"

namespace lp::ocs {
namespace {

nlohmann::json named(const topo::Circuit& c, const topo::Fabric& f, const PortModel& ports) {
  const auto& owner = ports.owner[static_cast<std::size_t>(c.ocs)];
  return {{"ocs", f.ocs[static_cast<std::size_t>(c.ocs)].name},
          {"ports", {c.a, c.b}},
          {"blocks", {f.blocks[static_cast<std::size_t>(owner[static_cast<std::size_t>(c.a)])].name,
                      f.blocks[static_cast<std::size_t>(owner[static_cast<std::size_t>(c.b)])].name}}};
}

nlohmann::json metrics_json(const Metrics& m) {
  return {{"direct_fraction", m.direct_fraction},
          {"hop_count", m.hop_count},
          {"mlu", m.mlu ? nlohmann::json(*m.mlu) : nlohmann::json(nullptr)},
          {"churn", m.churn}};
}

}  // namespace

nlohmann::json settings_json(const PlanSettings& s) {
  return {{"min_capacity", s.min_capacity},
          {"min_pair_circuits", s.min_pair_circuits},
          {"max_churn", s.max_churn ? nlohmann::json(*s.max_churn) : nlohmann::json(nullptr)},
          {"exact", s.exact},
          {"mlu_slack", s.mlu_slack},
          {"seed", s.seed}};
}

nlohmann::json proposal_json(const Plan& plan, const PlanInput& in, const nlohmann::json& settings) {
  const topo::Fabric& f = *in.fabric;
  nlohmann::json stages = nlohmann::json::array();
  for (const Stage& s : plan.stages) {
    nlohmann::json remove = nlohmann::json::array();
    nlohmann::json add = nlohmann::json::array();
    for (const topo::Circuit& c : s.remove) remove.push_back(named(c, f, in.ports));
    for (const topo::Circuit& c : s.add) add.push_back(named(c, f, in.ports));
    stages.push_back({{"remove", remove}, {"add", add}, {"min_block_capacity", s.min_block_capacity},
                      {"connected", s.connected}});
  }
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json uplinks = nlohmann::json::array();
  for (int b = 0; b < in.pairs.blocks(); ++b) {
    names.push_back(f.blocks[static_cast<std::size_t>(b)].name);
    uplinks.push_back(in.ports.uplinks(b));
  }
  return {{"format", kProposalFormat},
          {"fabric", f.name},
          {"base", topo::to_json(plan.base, f)},
          {"target", topo::to_json(plan.target, f)},
          {"stages", stages},
          {"metrics", {{"before", metrics_json(plan.before)},
                       {"after", metrics_json(plan.after)},
                       {"bound", {{"direct_fraction", plan.bound}}}}},
          {"traffic", topo::to_json(in.traffic)},
          {"settings", settings},
          {"block_graph", {{"blocks", names},
                           {"uplinks", uplinks},
                           {"link_gbps", f.link_gbps},
                           {"before", topo::block_graph(f, plan.base).circuits},
                           {"after", topo::block_graph(f, plan.target).circuits}}},
          {"planner", plan.method}};
}

}  // namespace lp::ocs
