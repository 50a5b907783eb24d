#include "bench/p2p/pair_matrix.h"

#include "core/sizes.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace lp::bench::p2p {

Members pair_members(const std::vector<std::string>& rank_hosts) {
  Members m;
  std::vector<std::string> seen;
  for (std::size_t r = 0; r < rank_hosts.size(); ++r) {
    if (std::find(seen.begin(), seen.end(), rank_hosts[r]) != seen.end()) continue;
    seen.push_back(rank_hosts[r]);
    m.ranks.push_back(static_cast<int>(r));
    m.labels.push_back(rank_hosts[r]);
  }
  if (m.ranks.size() == 1 && rank_hosts.size() > 1) {
    m.ranks.clear();
    m.labels.clear();
    for (std::size_t r = 0; r < rank_hosts.size(); ++r) {
      m.ranks.push_back(static_cast<int>(r));
      m.labels.push_back(fmt::format("rank {}", r));
    }
  }
  return m;
}

PairMatrix pair_matrix(const Point& point, const Members& members) {
  const std::size_t n = members.ranks.size();
  PairMatrix m;
  m.size = point.size;
  m.labels = members.labels;
  m.p50_us.assign(n, std::vector<double>(n, -1));
  m.p99_us.assign(n, std::vector<double>(n, -1));
  std::map<int, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) {
    index[members.ranks[i]] = i;
    m.p50_us[i][i] = m.p99_us[i][i] = 0;
  }
  for (const PairPoint& p : point.pairs) {
    const auto a = index.find(p.pair.a);
    const auto b = index.find(p.pair.b);
    if (a == index.end() || b == index.end()) continue;
    const double p50 = static_cast<double>(p.result.per_message.percentile(50)) / 1000.0;
    const double p99 = static_cast<double>(p.result.per_message.percentile(99)) / 1000.0;
    m.p50_us[a->second][b->second] = m.p50_us[b->second][a->second] = p50;
    m.p99_us[a->second][b->second] = m.p99_us[b->second][a->second] = p99;
  }
  return m;
}

namespace {

std::vector<SlowPair> measured_pairs(const PairMatrix& m) {
  std::vector<SlowPair> all;
  for (std::size_t a = 0; a < m.labels.size(); ++a) {
    for (std::size_t b = a + 1; b < m.labels.size(); ++b) {
      if (m.p50_us[a][b] >= 0) all.push_back({a, b, m.p50_us[a][b]});
    }
  }
  return all;
}

}  // namespace

double slow_threshold_us(const PairMatrix& m) {
  std::vector<double> p50;
  for (const SlowPair& p : measured_pairs(m)) p50.push_back(p.p50_us);
  if (p50.empty()) return 0;
  std::sort(p50.begin(), p50.end());
  return kSlowFactor * p50[(p50.size() - 1) / 4];
}

std::vector<SlowPair> slowest_pairs(const PairMatrix& m) {
  std::vector<SlowPair> all = measured_pairs(m);
  const double threshold = slow_threshold_us(m);
  std::erase_if(all, [&](const SlowPair& p) { return p.p50_us <= threshold; });
  std::sort(all.begin(), all.end(), [](const SlowPair& x, const SlowPair& y) {
    if (x.p50_us != y.p50_us) return x.p50_us > y.p50_us;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  const std::size_t pairs = m.labels.size() * (m.labels.size() - std::min<std::size_t>(1, m.labels.size())) / 2;
  all.resize(std::min(all.size(), std::max<std::size_t>(3, pairs / 10)));
  return all;
}

std::vector<Suspect> suspects(const PairMatrix& m, const std::vector<SlowPair>& slow) {
  std::vector<std::size_t> count(m.labels.size(), 0);
  for (const SlowPair& p : slow) {
    ++count[p.a];
    ++count[p.b];
  }
  std::vector<Suspect> out;
  for (std::size_t i = 0; i < count.size(); ++i) {
    if (count[i] >= 2) out.push_back({m.labels[i], count[i]});
  }
  std::stable_sort(out.begin(), out.end(), [](const Suspect& x, const Suspect& y) { return x.slow_pairs > y.slow_pairs; });
  return out;
}

std::string format_pair_matrix(const PairMatrix& m) {
  std::size_t width = 8;
  for (const std::string& l : m.labels) width = std::max(width, l.size());
  width = std::min<std::size_t>(width, 20);
  std::string out = fmt::format("# pairwise one-way latency p50 (us) at size {}\n#{:>{}}", format_size(m.size), "", width);
  for (const std::string& l : m.labels) out += fmt::format(" {:>{}}", l.substr(0, width), width);
  out += "\n";
  for (std::size_t a = 0; a < m.labels.size(); ++a) {
    out += fmt::format(" {:>{}}", m.labels[a].substr(0, width), width);
    for (std::size_t b = 0; b < m.labels.size(); ++b) {
      const double v = m.p50_us[a][b];
      out += a == b ? fmt::format(" {:>{}}", "-", width)
                    : v < 0 ? fmt::format(" {:>{}}", "?", width) : fmt::format(" {:>{}.2f}", v, width);
    }
    out += "\n";
  }
  const auto slow = slowest_pairs(m);
  if (slow.empty()) {
    out += fmt::format("# no pair is slower than {}x the lower quartile ({:.2f} us)\n", kSlowFactor,
                       slow_threshold_us(m));
    return out;
  }
  out += fmt::format("# slow pairs (p50 above {}x the lower quartile, {:.2f} us):", kSlowFactor, slow_threshold_us(m));
  for (const SlowPair& p : slow) out += fmt::format(" {}-{} {:.2f} us;", m.labels[p.a], m.labels[p.b], p.p50_us);
  out.back() = '\n';
  const auto sus = suspects(m, slow);
  if (sus.empty()) {
    out += "# no host stands out among the slow pairs\n";
  } else {
    out += "# in most of the slow pairs:";
    for (const Suspect& s : sus) out += fmt::format(" {} ({} of {});", s.label, s.slow_pairs, slow.size());
    out.back() = '\n';
  }
  return out;
}

nlohmann::json to_json(const PairMatrix& m, const std::vector<SlowPair>& slow, const std::vector<Suspect>& sus) {
  nlohmann::json slow_j = nlohmann::json::array();
  for (const SlowPair& p : slow) slow_j.push_back({{"a", m.labels[p.a]}, {"b", m.labels[p.b]}, {"p50_us", p.p50_us}});
  nlohmann::json sus_j = nlohmann::json::array();
  for (const Suspect& s : sus) sus_j.push_back({{"name", s.label}, {"slow_pairs", s.slow_pairs}});
  return {{"format", "lightpath.latency-matrix/1"}, {"size", m.size}, {"names", m.labels},
          {"p50_us", m.p50_us}, {"p99_us", m.p99_us}, {"slow_threshold_us", slow_threshold_us(m)},
          {"slowest", slow_j}, {"suspects", sus_j}};
}

}  // namespace lp::bench::p2p
