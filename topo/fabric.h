// The fabric: blocks (whatever is cabled to the OCS layer: a ToR, a pod, an aggregation
// block), the optical circuit switches, which block port is wired to which OCS port, and the
// circuits an OCS configuration sets up. File formats: lightpath.fabric/1 and
// lightpath.ocs-config/1 (DESIGN.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::topo {

// Ports per OCS accepted by the reader: far above any device built (a few hundred ports), low
// enough that a typo such as 1e9 is caught rather than allocated for.
inline constexpr int kMaxOcsPorts = 1 << 16;

struct Ocs {
  std::string name;
  int ports = 0;
  std::vector<int> failed_ports;  // sorted, unique
};

struct PortRef {
  int ocs = 0;   // index into Fabric::ocs
  int port = 0;  // 0 .. Ocs::ports - 1
  friend bool operator==(const PortRef&, const PortRef&) = default;
  friend auto operator<=>(const PortRef&, const PortRef&) = default;
};

struct Block {
  std::string name;
  std::vector<std::string> hosts;
  std::vector<PortRef> uplinks;
};

enum class Transit { kBlock, kSpine };
std::string to_string(Transit transit);

struct Fabric {
  std::string name;
  double link_gbps = 0;
  Transit transit = Transit::kBlock;
  std::vector<Ocs> ocs;
  std::vector<Block> blocks;

  // Index lookups; -1 when absent.
  int ocs_index(const std::string& name) const;
  int block_index(const std::string& name) const;
  // The block whose uplink is wired to (ocs, port), or -1.
  int block_of_port(int ocs, int port) const;
  bool port_failed(int ocs, int port) const;
  // owner[o][p]: the block wired to port p of OCS o, or -1. One pass; use it in loops.
  std::vector<std::vector<int>> port_owners() const;
  std::size_t host_count() const;
};

// One circuit: a cross-connect between two ports of one OCS. Normalized with a < b.
struct Circuit {
  int ocs = 0;
  int a = 0;
  int b = 0;
  friend bool operator==(const Circuit&, const Circuit&) = default;
  friend auto operator<=>(const Circuit&, const Circuit&) = default;
};

struct OcsConfig {
  std::vector<Circuit> circuits;  // sorted
};

// Parsing and validation. Every violation is collected and reported at once, each with the
// source name, the JSON path and the problem; the thrown InputError lists them all.
Fabric parse_fabric(const nlohmann::json& doc, const std::string& source);
Fabric load_fabric(const std::string& path);
OcsConfig parse_ocs_config(const nlohmann::json& doc, const Fabric& fabric, const std::string& source);
OcsConfig load_ocs_config(const std::string& path, const Fabric& fabric);

nlohmann::json to_json(const Fabric& fabric);
nlohmann::json to_json(const OcsConfig& config, const Fabric& fabric);

// The block-level view of a configuration.
struct BlockGraph {
  int blocks = 0;
  std::vector<std::vector<int>> circuits;  // circuits[i][j]: circuits between blocks i and j
  std::vector<int> degree;                 // circuits per block
  std::vector<int> uplinks;                // wired, non-failed uplinks per block
  bool connected = false;
  int diameter = -1;                       // in block hops; -1 when not connected
};

BlockGraph block_graph(const Fabric& fabric, const OcsConfig& config);

}  // namespace lp::topo
