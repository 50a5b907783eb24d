// The fabric model's lookups and its writers. Reading and validation are in
// fabric_validate.cc and ocs_config.cc.
#include "topo/fabric.h"

#include "core/atomic_file.h"
#include "topo/problems.h"

#include <algorithm>

namespace lp::topo {

std::string to_string(Transit transit) { return transit == Transit::kSpine ? "spine" : "block"; }

int Fabric::ocs_index(const std::string& n) const {
  for (std::size_t i = 0; i < ocs.size(); ++i) {
    if (ocs[i].name == n) return static_cast<int>(i);
  }
  return -1;
}

int Fabric::block_index(const std::string& n) const {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].name == n) return static_cast<int>(i);
  }
  return -1;
}

int Fabric::block_of_port(int o, int port) const {
  const PortRef want{o, port};
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const auto& up = blocks[b].uplinks;
    if (std::find(up.begin(), up.end(), want) != up.end()) return static_cast<int>(b);
  }
  return -1;
}

bool Fabric::port_failed(int o, int port) const {
  if (o < 0 || o >= static_cast<int>(ocs.size())) return false;
  const auto& failed = ocs[static_cast<std::size_t>(o)].failed_ports;
  return std::binary_search(failed.begin(), failed.end(), port);
}

std::vector<std::vector<int>> Fabric::port_owners() const {
  std::vector<std::vector<int>> owner(ocs.size());
  for (std::size_t o = 0; o < ocs.size(); ++o) {
    owner[o].assign(static_cast<std::size_t>(ocs[o].ports), -1);
  }
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    for (const PortRef& u : blocks[b].uplinks) {
      owner[static_cast<std::size_t>(u.ocs)][static_cast<std::size_t>(u.port)] = static_cast<int>(b);
    }
  }
  return owner;
}

std::size_t Fabric::host_count() const {
  std::size_t n = 0;
  for (const Block& b : blocks) n += b.hosts.size();
  return n;
}

nlohmann::json to_json(const Fabric& fabric) {
  nlohmann::json ocs = nlohmann::json::array();
  for (const Ocs& o : fabric.ocs) {
    ocs.push_back({{"name", o.name}, {"ports", o.ports}, {"failed_ports", o.failed_ports}});
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (const Block& b : fabric.blocks) {
    nlohmann::json uplinks = nlohmann::json::array();
    for (const PortRef& u : b.uplinks) {
      uplinks.push_back({{"ocs", fabric.ocs[static_cast<std::size_t>(u.ocs)].name}, {"port", u.port}});
    }
    blocks.push_back({{"name", b.name}, {"hosts", b.hosts}, {"uplinks", uplinks}});
  }
  return {{"format", "lightpath.fabric/1"}, {"name", fabric.name},
          {"link_gbps", fabric.link_gbps},  {"transit", to_string(fabric.transit)},
          {"ocs", ocs},                     {"blocks", blocks}};
}

nlohmann::json to_json(const OcsConfig& config, const Fabric& fabric) {
  nlohmann::json circuits = nlohmann::json::array();
  for (const Circuit& c : config.circuits) {
    circuits.push_back({{"ocs", fabric.ocs[static_cast<std::size_t>(c.ocs)].name},
                        {"ports", {c.a, c.b}}});
  }
  return {{"format", "lightpath.ocs-config/1"}, {"circuits", circuits}};
}

Fabric load_fabric(const std::string& path) {
  return parse_fabric(parse_json(read_file(path), path), path);
}

OcsConfig load_ocs_config(const std::string& path, const Fabric& fabric) {
  return parse_ocs_config(parse_json(read_file(path), path), fabric, path);
}

}  // namespace lp::topo
