// Rank -> host -> block sums. Each source name maps to one target name; entries add up, so the
// total is kept exactly (integer byte counts below 2^53 are exact in a double).
#include "topo/traffic.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace lp::topo {
namespace {

// Sums `m` into `names` where source i goes to target group[i].
TrafficMatrix sum_into(const TrafficMatrix& m, TrafficLevel to, std::vector<std::string> names,
                       const std::vector<std::size_t>& group) {
  TrafficMatrix out = TrafficMatrix::zeros(to, m.duration_s, std::move(names));
  out.source = m.source;
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) out.at(group[i], group[j]) += m.at(i, j);
  }
  return out;
}

// The host each row of `m` stands for.
std::vector<std::string> row_hosts(const TrafficMatrix& m) {
  if (m.level == TrafficLevel::kHost) return m.names;
  if (m.hosts.size() != m.size()) {
    throw InputError(fmt::format(
        "rank-level traffic has {} hosts for {} ranks: it needs the host of every rank "
        "(traffic aggregate --rank-hosts)", m.hosts.size(), m.size()));
  }
  return m.hosts;
}

}  // namespace

TrafficMatrix aggregate(const TrafficMatrix& m, const Fabric& fabric, TrafficLevel to) {
  if (to == TrafficLevel::kRank) throw InputError("traffic cannot be aggregated to rank level");
  if (m.level == TrafficLevel::kBlock && to == TrafficLevel::kHost) {
    throw InputError("block-level traffic cannot be split onto hosts");
  }
  std::vector<std::size_t> group(m.size());
  if (to == TrafficLevel::kHost) {
    const std::vector<std::string> hosts = row_hosts(m);
    std::vector<std::string> names;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m.size(); ++i) {
      auto [it, fresh] = index.emplace(hosts[i], names.size());
      if (fresh) names.push_back(hosts[i]);
      group[i] = it->second;
    }
    return sum_into(m, to, std::move(names), group);
  }

  std::vector<std::string> names;
  for (const Block& b : fabric.blocks) names.push_back(b.name);
  std::map<std::string, std::size_t> block_of;  // host (or block) name -> block index
  for (std::size_t b = 0; b < fabric.blocks.size(); ++b) {
    if (m.level == TrafficLevel::kBlock) {
      block_of.emplace(fabric.blocks[b].name, b);
    } else {
      for (const std::string& h : fabric.blocks[b].hosts) block_of.emplace(h, b);
    }
  }
  const std::vector<std::string> keys = m.level == TrafficLevel::kBlock ? m.names : row_hosts(m);
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const auto it = block_of.find(keys[i]);
    if (it != block_of.end()) {
      group[i] = it->second;
    } else if (std::find(missing.begin(), missing.end(), keys[i]) == missing.end()) {
      missing.push_back(keys[i]);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + ("'" + missing[i] + "'");
    const char* what = m.level == TrafficLevel::kBlock ? "block" : "host";
    throw InputError(fmt::format("{} {} not in fabric '{}'{}", what, list, fabric.name,
                                 m.level == TrafficLevel::kRank
                                     ? " (map ranks onto the fabric's hosts with --rank-hosts)"
                                     : ""));
  }
  return sum_into(m, to, std::move(names), group);
}

std::vector<std::string> spread_ranks(const Fabric& fabric, std::size_t ranks) {
  std::vector<std::string> hosts;
  for (const Block& b : fabric.blocks) hosts.insert(hosts.end(), b.hosts.begin(), b.hosts.end());
  if (hosts.empty()) throw InputError(fmt::format("fabric '{}' lists no hosts to place ranks on", fabric.name));
  std::vector<std::string> out(ranks);
  for (std::size_t r = 0; r < ranks; ++r) out[r] = hosts[r * hosts.size() / ranks];
  return out;
}

}  // namespace lp::topo
