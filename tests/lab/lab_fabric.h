// A small fabric for the lab's unit tests: `blocks` blocks named b0.., each with `hosts` hosts
// (h0, h1, ... across blocks) and `uplinks` uplinks on one OCS, block i at ports
// i*uplinks .. i*uplinks + uplinks - 1.
#pragma once

#include "topo/fabric.h"

#include <string>

namespace lp::lab::test {

inline topo::Fabric lab_fabric(int blocks, int hosts, int uplinks) {
  nlohmann::json list = nlohmann::json::array();
  int host = 0;
  for (int b = 0; b < blocks; ++b) {
    nlohmann::json names = nlohmann::json::array();
    for (int k = 0; k < hosts; ++k) names.push_back("h" + std::to_string(host++));
    nlohmann::json up = nlohmann::json::array();
    for (int u = 0; u < uplinks; ++u) up.push_back({{"ocs", "ocs0"}, {"port", b * uplinks + u}});
    list.push_back({{"name", "b" + std::to_string(b)}, {"hosts", names}, {"uplinks", up}});
  }
  return topo::parse_fabric({{"format", "lightpath.fabric/1"}, {"name", "lab-test"}, {"link_gbps", 100},
                             {"ocs", {{{"name", "ocs0"}, {"ports", blocks * uplinks}, {"failed_ports", nlohmann::json::array()}}}},
                             {"blocks", list}},
                            "lab-test.json");
}

inline topo::Circuit circuit(int a, int b) { return topo::Circuit{0, a < b ? a : b, a < b ? b : a}; }

}  // namespace lp::lab::test
