#include "topo/fabric_summary.h"

#include <fmt/format.h>

#include <algorithm>

namespace lp::topo {
namespace {

int total_ports(const Fabric& f) {
  int n = 0;
  for (const Ocs& o : f.ocs) n += o.ports;
  return n;
}
int failed_ports(const Fabric& f) {
  int n = 0;
  for (const Ocs& o : f.ocs) n += static_cast<int>(o.failed_ports.size());
  return n;
}

}  // namespace

std::string format_fabric_summary(const Fabric& f, const std::optional<OcsConfig>& config) {
  std::string out = fmt::format(
      "fabric {}: {} blocks, {} hosts, {} OCS ({} ports, {} failed), links {} Gb/s, transit {}\n",
      f.name, f.blocks.size(), f.host_count(), f.ocs.size(), total_ports(f), failed_ports(f),
      f.link_gbps, to_string(f.transit));
  const BlockGraph g = block_graph(f, config.value_or(OcsConfig{}));
  std::size_t width = 5;
  for (const Block& b : f.blocks) width = std::max(width, b.name.size());
  out += fmt::format("  {:<{}} {:>6} {:>8} {:>7}{}\n", "block", width, "hosts", "uplinks", "usable",
                     config ? "  circuits" : "");
  for (std::size_t b = 0; b < f.blocks.size(); ++b) {
    out += fmt::format("  {:<{}} {:>6} {:>8} {:>7}", f.blocks[b].name, width, f.blocks[b].hosts.size(),
                       f.blocks[b].uplinks.size(), g.uplinks[b]);
    if (config) out += fmt::format("  {:>8}", g.degree[b]);
    out += "\n";
  }
  if (!config) return out;
  out += fmt::format("configuration: {} circuits; block graph {}", config->circuits.size(),
                     g.connected ? fmt::format("connected, diameter {}\n", g.diameter)
                                 : std::string("NOT connected\n"));
  if (f.blocks.size() <= 32) {
    out += "circuits per block pair:\n  " + std::string(width, ' ');
    for (const Block& b : f.blocks) out += fmt::format(" {:>4}", b.name.substr(0, 4));
    out += "\n";
    for (std::size_t i = 0; i < f.blocks.size(); ++i) {
      out += fmt::format("  {:<{}}", f.blocks[i].name, width);
      for (std::size_t j = 0; j < f.blocks.size(); ++j) {
        out += i == j ? "    -" : fmt::format(" {:>4}", g.circuits[i][j]);
      }
      out += "\n";
    }
  }
  return out;
}

nlohmann::json fabric_summary_json(const Fabric& f, const std::optional<OcsConfig>& config) {
  const BlockGraph g = block_graph(f, config.value_or(OcsConfig{}));
  nlohmann::json blocks = nlohmann::json::array();
  for (std::size_t b = 0; b < f.blocks.size(); ++b) {
    nlohmann::json j = {{"name", f.blocks[b].name}, {"hosts", f.blocks[b].hosts.size()},
                        {"uplinks", f.blocks[b].uplinks.size()}, {"usable_uplinks", g.uplinks[b]}};
    if (config) j["circuits"] = g.degree[b];
    blocks.push_back(std::move(j));
  }
  nlohmann::json out = {{"fabric", f.name},          {"blocks", blocks},
                        {"hosts", f.host_count()},    {"ocs", f.ocs.size()},
                        {"ports", total_ports(f)},    {"failed_ports", failed_ports(f)},
                        {"link_gbps", f.link_gbps},   {"transit", to_string(f.transit)}};
  if (config) {
    out["circuits"] = config->circuits.size();
    out["block_circuits"] = g.circuits;
    out["connected"] = g.connected;
    out["diameter"] = g.diameter;
  }
  return out;
}

}  // namespace lp::topo
