// Traffic matrices: bytes sent from row to column over duration_s, at rank, host or block
// level. File format lightpath.traffic/1 (JSON) or a CSV edge list "src,dst,bytes" with a
// "# duration_s=..." header line (DESIGN.md).
#pragma once

#include "topo/fabric.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp::topo {

enum class TrafficLevel { kRank, kHost, kBlock };

struct TrafficMatrix {
  TrafficLevel level = TrafficLevel::kHost;
  double duration_s = 0;
  std::vector<std::string> names;
  std::vector<std::string> hosts;  // rank level only: the host of each rank (may be empty)
  std::vector<double> bytes;       // row-major, names.size() squared

  std::size_t size() const { return names.size(); }
  double& at(std::size_t src, std::size_t dst) { return bytes[src * names.size() + dst]; }
  double at(std::size_t src, std::size_t dst) const { return bytes[src * names.size() + dst]; }
};

// Reads JSON or CSV (decided by content). Rejects unknown formats, negative, NaN or infinite
// entries, mismatched dimensions and duplicate names with InputError naming the file.
TrafficMatrix parse_traffic(const std::string& text, const std::string& source);
TrafficMatrix load_traffic(const std::string& path);
nlohmann::json to_json(const TrafficMatrix& m);
void save_traffic(const TrafficMatrix& m, const std::string& path);  // atomic

std::string to_string(TrafficLevel level);

// Sums a rank- or host-level matrix onto hosts or blocks of `fabric`. Ranks map to hosts by
// TrafficMatrix::hosts; hosts map to blocks by Fabric::blocks[].hosts. A name that does not
// map is an InputError naming it.
TrafficMatrix aggregate(const TrafficMatrix& m, const Fabric& fabric, TrafficLevel to);

}  // namespace lp::topo
