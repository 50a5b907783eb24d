#include "ocs/demand.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace lp::ocs {
namespace {

// True when every rank ran on one host that is not one of the fabric's.
bool ranks_share_unknown_host(const topo::TrafficMatrix& m, const topo::Fabric& fabric) {
  const std::set<std::string> hosts(m.hosts.begin(), m.hosts.end());
  if (hosts.size() > 1) return false;
  if (hosts.empty()) return true;
  for (const topo::Block& b : fabric.blocks) {
    if (std::find(b.hosts.begin(), b.hosts.end(), *hosts.begin()) != b.hosts.end()) return false;
  }
  return true;
}

}  // namespace

double Demand::total() const { return std::accumulate(gbps.begin(), gbps.end(), 0.0); }

topo::TrafficMatrix block_traffic(const topo::TrafficMatrix& m, const topo::Fabric& fabric,
                                  const std::string& source, std::string* note) {
  try {
    if (m.level == topo::TrafficLevel::kRank && ranks_share_unknown_host(m, fabric)) {
      topo::TrafficMatrix placed = m;
      placed.hosts = topo::spread_ranks(fabric, m.size());
      if (note != nullptr) {
        *note = fmt::format("{}: the {} ranks ran on {}; placed evenly on the {} hosts of fabric '{}'",
                            source, m.size(), m.hosts.empty() ? "one machine" : "'" + m.hosts.front() + "'",
                            fabric.host_count(), fabric.name);
      }
      return topo::aggregate(placed, fabric, topo::TrafficLevel::kBlock);
    }
    return topo::aggregate(m, fabric, topo::TrafficLevel::kBlock);
  } catch (const InputError& e) {
    throw input_error(source, e.what());
  }
}

Demand demand_of(const topo::TrafficMatrix& block_level) {
  LP_ENFORCE(block_level.level == topo::TrafficLevel::kBlock, "demand needs block-level traffic");
  Demand d;
  d.blocks = static_cast<int>(block_level.size());
  d.gbps.assign(block_level.bytes.size(), 0.0);
  for (std::size_t i = 0; i < block_level.size(); ++i) {
    for (std::size_t j = 0; j < block_level.size(); ++j) {
      if (i == j) continue;
      d.gbps[i * block_level.size() + j] = block_level.at(i, j) * 8.0 / block_level.duration_s / 1e9;
    }
  }
  return d;
}

}  // namespace lp::ocs
