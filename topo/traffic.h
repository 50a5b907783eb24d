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
  nlohmann::json source;           // optional: the run that recorded it (a result record's base)

  std::size_t size() const { return names.size(); }
  double& at(std::size_t src, std::size_t dst) { return bytes[src * names.size() + dst]; }
  double at(std::size_t src, std::size_t dst) const { return bytes[src * names.size() + dst]; }
  double total() const;

  // An all-zero matrix over `names`.
  static TrafficMatrix zeros(TrafficLevel level, double duration_s, std::vector<std::string> names);
};

// Reads JSON or CSV (decided by content). Rejects unknown formats, negative, NaN or infinite
// entries, mismatched dimensions and duplicate names with InputError naming the file.
TrafficMatrix parse_traffic(const std::string& text, const std::string& source);
TrafficMatrix load_traffic(const std::string& path);
nlohmann::json to_json(const TrafficMatrix& m);
// Atomic. A path ending in ".csv" gets the CSV edge list, anything else JSON.
void save_traffic(const TrafficMatrix& m, const std::string& path);

// The CSV edge list (traffic_csv.cc). Besides "# duration_s=", the reader takes optional
// "# level=rank|host|block" (default host), "# names=a,b,..." (fixes the order and keeps names
// without traffic) and "# hosts=..." (rank level); to_csv writes all of them, so a round trip
// is exact. Repeated src,dst lines add up.
TrafficMatrix parse_traffic_csv(const std::string& text, const std::string& source);
std::string to_csv(const TrafficMatrix& m);

std::string to_string(TrafficLevel level);
// "rank", "host" or "block"; anything else is an InputError naming `source`.
TrafficLevel parse_level(const std::string& text, const std::string& source);

// Sums a rank- or host-level matrix onto hosts or blocks of `fabric`. Ranks map to hosts by
// TrafficMatrix::hosts; hosts map to blocks by Fabric::blocks[].hosts. A name that does not
// map is an InputError naming it.
TrafficMatrix aggregate(const TrafficMatrix& m, const Fabric& fabric, TrafficLevel to);

// Places `ranks` ranks evenly on the fabric's H hosts (blocks in order, their hosts in order),
// consecutive ranks together: rank r goes to host floor(r * H / ranks). With fewer ranks than
// hosts they spread out (8 ranks on 8 blocks of 2 hosts: one per block). For a run whose ranks
// all shared one machine, to see its traffic as if it had run on the fabric.
std::vector<std::string> spread_ranks(const Fabric& fabric, std::size_t ranks);

}  // namespace lp::topo
