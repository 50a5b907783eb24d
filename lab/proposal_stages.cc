#include "lab/proposal_stages.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "topo/problems.h"

namespace lp::lab {
namespace {

// A circuit list read as the circuits of an ocs-config document.
topo::OcsConfig circuits(const nlohmann::json& list, const topo::Fabric& fabric, const std::string& source) {
  return topo::parse_ocs_config({{"format", "lightpath.ocs-config/1"}, {"circuits", list}}, fabric, source);
}

}  // namespace

ProposalStages parse_proposal_stages(const nlohmann::json& doc, const topo::Fabric& fabric,
                                     const std::string& source) {
  topo::Problems p(source);
  if (!topo::check_format(doc, "lightpath.ocs-proposal/1", p)) p.throw_if_any();
  ProposalStages out;
  if (auto name = topo::get_string(doc, "fabric", "", p)) out.fabric_name = *name;
  const nlohmann::json* base = topo::get_field(doc, "base", "", p);
  const nlohmann::json* stages = topo::get_array(doc, "stages", "", p);
  p.throw_if_any();
  if (out.fabric_name != fabric.name) {
    throw input_error(source, fmt::format("the proposal is for fabric '{}', the lab runs '{}'",
                                          out.fabric_name, fabric.name));
  }
  out.base = topo::parse_ocs_config(*base, fabric, source + ": base");
  for (std::size_t i = 0; i < stages->size(); ++i) {
    const nlohmann::json& item = (*stages)[i];
    const std::string path = topo::json_path("stages", i);
    const nlohmann::json* remove = topo::get_array(item, "remove", path, p);
    const nlohmann::json* add = topo::get_array(item, "add", path, p);
    if (remove == nullptr || add == nullptr) continue;
    out.stages.push_back({circuits(*remove, fabric, source + ": " + topo::json_path(path, "remove")),
                          circuits(*add, fabric, source + ": " + topo::json_path(path, "add"))});
  }
  p.throw_if_any();
  const nlohmann::json* at = &doc;
  for (const char* key : {"metrics", "after", "hop_count"}) {
    at = at->is_object() && at->contains(key) ? &(*at)[key] : nullptr;
    if (at == nullptr) break;
  }
  if (at != nullptr && at->is_number()) out.predicted_hop_count = at->get<double>();
  return out;
}

ProposalStages load_proposal_stages(const std::string& path, const topo::Fabric& fabric) {
  return parse_proposal_stages(topo::parse_json(read_file(path), path), fabric, path);
}

}  // namespace lp::lab
