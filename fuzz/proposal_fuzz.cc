// Proposal files (lightpath.ocs-proposal/1): the reader, and for what it accepts, verify and
// both reports against a fixed fabric (a proposal from anywhere must not crash them).
#include "fuzz/fuzz_target.h"
#include "ocs/proposal.h"
#include "ocs/report.h"
#include "ocs/verify.h"
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
  const lp::ocs::Proposal p = lp::ocs::parse_proposal(doc, "fuzz.json");
  lp::ocs::verify_proposal(reference_fabric(), p, "fuzz.json");
  lp::ocs::report_markdown(p, "fuzz.json");
  lp::ocs::report_html(p, "fuzz.json");
})
