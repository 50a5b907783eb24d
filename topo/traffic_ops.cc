#include "topo/traffic_ops.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace lp::topo {
namespace {

// Checks that every snapshot has one level and builds the union of names (with hosts).
struct Union {
  std::vector<std::string> names;
  std::vector<std::string> hosts;
  std::map<std::string, std::size_t> index;
};

Union union_of(const std::vector<TrafficMatrix>& snaps, const std::vector<std::string>& sources) {
  if (snaps.empty()) throw InputError("traffic merge: no input files");
  Union u;
  const TrafficLevel level = snaps.front().level;
  for (std::size_t s = 0; s < snaps.size(); ++s) {
    const TrafficMatrix& m = snaps[s];
    if (m.level != level) {
      throw input_error(sources[s], fmt::format("{}-level traffic cannot be merged with {}-level traffic in {}",
                                                to_string(m.level), to_string(level), sources.front()));
    }
    for (std::size_t i = 0; i < m.size(); ++i) {
      const std::string host = i < m.hosts.size() ? m.hosts[i] : "";
      auto [it, fresh] = u.index.emplace(m.names[i], u.names.size());
      if (fresh) {
        u.names.push_back(m.names[i]);
        u.hosts.push_back(host);
      } else if (level == TrafficLevel::kRank && !host.empty() && !u.hosts[it->second].empty() &&
                 u.hosts[it->second] != host) {
        throw input_error(sources[s], fmt::format("rank {} ran on '{}' here but on '{}' in an earlier file",
                                                  m.names[i], host, u.hosts[it->second]));
      } else if (u.hosts[it->second].empty()) {
        u.hosts[it->second] = host;
      }
    }
  }
  return u;
}

TrafficMatrix empty_like(const Union& u, TrafficLevel level, double duration) {
  TrafficMatrix out = TrafficMatrix::zeros(level, duration, u.names);
  if (level == TrafficLevel::kRank &&
      std::none_of(u.hosts.begin(), u.hosts.end(), [](const std::string& h) { return h.empty(); })) {
    out.hosts = u.hosts;
  }
  return out;
}

}  // namespace

TrafficMatrix merge_sum(const std::vector<TrafficMatrix>& snaps, const std::vector<std::string>& sources) {
  const Union u = union_of(snaps, sources);
  double duration = 0;
  for (const TrafficMatrix& m : snaps) duration += m.duration_s;
  TrafficMatrix out = empty_like(u, snaps.front().level, duration);
  for (const TrafficMatrix& m : snaps) {
    for (std::size_t i = 0; i < m.size(); ++i) {
      const std::size_t oi = u.index.at(m.names[i]);
      for (std::size_t j = 0; j < m.size(); ++j) out.at(oi, u.index.at(m.names[j])) += m.at(i, j);
    }
  }
  return out;
}

TrafficMatrix merge_peak(const std::vector<TrafficMatrix>& snaps, const std::vector<std::string>& sources) {
  const Union u = union_of(snaps, sources);
  for (std::size_t s = 0; s < snaps.size(); ++s) {
    if (!(snaps[s].duration_s > 0)) {
      throw input_error(sources[s], "duration_s must be positive to take a peak rate");
    }
  }
  TrafficMatrix out = empty_like(u, snaps.front().level, 1.0);
  for (const TrafficMatrix& m : snaps) {
    for (std::size_t i = 0; i < m.size(); ++i) {
      const std::size_t oi = u.index.at(m.names[i]);
      for (std::size_t j = 0; j < m.size(); ++j) {
        double& cell = out.at(oi, u.index.at(m.names[j]));
        cell = std::max(cell, m.at(i, j) / m.duration_s);
      }
    }
  }
  return out;
}

std::vector<PairFlow> top_pairs(const TrafficMatrix& m, std::size_t n) {
  std::vector<PairFlow> all;
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (i != j && m.at(i, j) > 0) all.push_back({i, j, m.at(i, j)});
    }
  }
  const auto heavier = [](const PairFlow& a, const PairFlow& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.src != b.src ? a.src < b.src : a.dst < b.dst;
  };
  const std::size_t k = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), heavier);
  all.resize(k);
  return all;
}

double gbps(const TrafficMatrix& m, double bytes) {
  return m.duration_s > 0 ? bytes * 8 / m.duration_s / 1e9 : 0;
}

std::string format_traffic(const TrafficMatrix& m, std::size_t top, std::size_t max_heatmap) {
  double off_diagonal = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (i != j) off_diagonal += m.at(i, j);
    }
  }
  const double total = m.total();
  std::string out = fmt::format(
      "{}-level traffic: {} names, {:.6g} s, {:.6g} bytes in all ({:.3f} Gbit/s), {:.6g} bytes between "
      "different names\n",
      to_string(m.level), m.size(), m.duration_s, total, gbps(m, total), off_diagonal);
  const auto pairs = top_pairs(m, top);
  if (!pairs.empty()) {
    out += fmt::format("top {} pairs:\n  {:<20} {:<20} {:>16} {:>8} {:>12}\n", pairs.size(), "from", "to",
                       "bytes", "share", "Gbit/s");
    for (const PairFlow& p : pairs) {
      out += fmt::format("  {:<20} {:<20} {:>16.0f} {:>7.2f}% {:>12.3f}\n", m.names[p.src], m.names[p.dst],
                         p.bytes, off_diagonal > 0 ? 100 * p.bytes / off_diagonal : 0, gbps(m, p.bytes));
    }
  }
  if (m.size() == 0 || m.size() > max_heatmap) {
    if (m.size() > max_heatmap) out += fmt::format("(heatmap left out: more than {} names)\n", max_heatmap);
    return out;
  }
  // Log scale over the non-zero entries: ' ' is zero, '.' the lightest, '@' the heaviest.
  static constexpr char kShades[] = ".:-=+*#%@";
  constexpr int kLevels = sizeof kShades - 1;
  double lo = 0, hi = 0;
  for (double v : m.bytes) {
    if (v <= 0) continue;
    lo = lo == 0 ? v : std::min(lo, v);
    hi = std::max(hi, v);
  }
  out += fmt::format("heatmap (rows send to columns; '.' lightest to '@' heaviest, log scale; {:.3g} to {:.3g} bytes):\n", lo, hi);
  std::size_t width = 0;
  for (const std::string& n : m.names) width = std::max(width, n.size());
  width = std::min<std::size_t>(width, 16);
  for (std::size_t i = 0; i < m.size(); ++i) {
    std::string line = fmt::format("  {:>{}} |", m.names[i].substr(0, width), width);
    for (std::size_t j = 0; j < m.size(); ++j) {
      const double v = m.at(i, j);
      if (v <= 0) {
        line += ' ';
        continue;
      }
      const double t = hi > lo ? std::log(v / lo) / std::log(hi / lo) : 1.0;
      line += kShades[std::clamp(static_cast<int>(t * (kLevels - 1) + 0.5), 0, kLevels - 1)];
    }
    out += line + "|\n";
  }
  return out;
}

}  // namespace lp::topo
