// What the lab reads: a proposal's stages against a fixed valid fabric, its own counter marks,
// and `ip -s -j link show` output.
#include "fuzz/fuzz_target.h"
#include "lab/counters.h"
#include "lab/proposal_stages.h"

namespace {

const lp::topo::Fabric& reference_fabric() {
  static const lp::topo::Fabric f = lp::topo::parse_fabric(
      nlohmann::json::parse(R"({"format": "lightpath.fabric/1", "name": "f", "link_gbps": 100,
        "transit": "block", "ocs": [{"name": "o0", "ports": 8, "failed_ports": [7]}],
        "blocks": [{"name": "a", "hosts": ["h0"], "uplinks": [{"ocs": "o0", "port": 0}, {"ocs": "o0", "port": 1}]},
                   {"name": "b", "hosts": ["h1"], "uplinks": [{"ocs": "o0", "port": 2}, {"ocs": "o0", "port": 3}]},
                   {"name": "c", "hosts": ["h2"], "uplinks": [{"ocs": "o0", "port": 4}, {"ocs": "o0", "port": 5}]}]})"),
      "reference");
  return f;
}

}  // namespace

LP_FUZZ_TARGET({
  try {
    lp::lab::parse_link_stats(input, "lp-b-a", "lp");
  } catch (const lp::Error&) {
  }
  const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    lp::lab::snapshot_from_json(doc, "mark.json");
  } catch (const lp::InputError&) {
  }
  lp::lab::parse_proposal_stages(doc, reference_fabric(), "fuzz.json");
})
