// Fabric files and, against a fixed valid fabric, OCS configuration files.
#include "fuzz/fuzz_target.h"
#include "topo/fabric.h"

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
  const nlohmann::json doc = nlohmann::json::parse(input, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    lp::topo::parse_fabric(doc, "fuzz.json");
  } catch (const lp::InputError&) {
  }
  lp::topo::parse_ocs_config(doc, reference_fabric(), "fuzz.json");
})
