// A small valid fabric for fuzz targets whose inputs refer to one (configurations, proposals,
// lab stages): three blocks of two uplinks on one 8-port OCS whose port 7 has failed.
#pragma once

#include "topo/fabric.h"

namespace lp::fuzz {

inline const topo::Fabric& reference_fabric() {
  static const topo::Fabric f = topo::parse_fabric(
      nlohmann::json::parse(R"({"format": "lightpath.fabric/1", "name": "f", "link_gbps": 100,
        "transit": "block", "ocs": [{"name": "o0", "ports": 8, "failed_ports": [7]}],
        "blocks": [{"name": "a", "hosts": ["h0"], "uplinks": [{"ocs": "o0", "port": 0}, {"ocs": "o0", "port": 1}]},
                   {"name": "b", "hosts": ["h1"], "uplinks": [{"ocs": "o0", "port": 2}, {"ocs": "o0", "port": 3}]},
                   {"name": "c", "hosts": ["h2"], "uplinks": [{"ocs": "o0", "port": 4}, {"ocs": "o0", "port": 5}]}]})"),
      "reference");
  return f;
}

}  // namespace lp::fuzz
