#include "ocs/synth/synthetic.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace lp::ocs::synth {
namespace {

// Portable draws: std distributions differ between standard libraries, the engine does not.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
int below(std::mt19937_64& rng, int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
double lognormal(std::mt19937_64& rng) {
  const double u1 = std::max(uniform01(rng), 1e-300);
  const double u2 = uniform01(rng);
  return std::exp(std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2));
}

topo::TrafficMatrix block_matrix(const topo::Fabric& fabric) {
  std::vector<std::string> names;
  for (const topo::Block& b : fabric.blocks) names.push_back(b.name);
  return topo::TrafficMatrix::zeros(topo::TrafficLevel::kBlock, 1.0, std::move(names));
}

constexpr double kBytesPerGbit = 1e9 / 8;

}  // namespace

topo::Fabric uniform_fabric(int blocks, int ocs, int per_ocs, int spare, double link_gbps,
                            int hosts_per_block, const std::string& name) {
  topo::Fabric f;
  f.name = name;
  f.link_gbps = link_gbps;
  for (int o = 0; o < ocs; ++o) f.ocs.push_back({fmt::format("ocs{}", o), blocks * per_ocs + spare, {}});
  int host = 0;
  for (int b = 0; b < blocks; ++b) {
    topo::Block blk;
    blk.name = fmt::format("b{}", b);
    for (int h = 0; h < hosts_per_block; ++h) blk.hosts.push_back(fmt::format("node{:03}", ++host));
    for (int o = 0; o < ocs; ++o) {
      for (int k = 0; k < per_ocs; ++k) blk.uplinks.push_back({o, b * per_ocs + k});
    }
    f.blocks.push_back(std::move(blk));
  }
  return f;
}

topo::Fabric random_fabric(std::uint64_t seed, int max_blocks, int max_uplinks) {
  std::mt19937_64 rng(seed);
  const int blocks = 3 + below(rng, max_blocks - 2);
  const int ocs = 1 + below(rng, 4);
  topo::Fabric f;
  f.name = fmt::format("random-{}", seed);
  f.link_gbps = 100;
  std::vector<int> uplinks(static_cast<std::size_t>(blocks));
  std::vector<std::vector<int>> per(static_cast<std::size_t>(blocks), std::vector<int>(static_cast<std::size_t>(ocs), 0));
  const bool uniform = below(rng, 2) == 0;
  const int each = 1 + below(rng, std::max(1, max_uplinks / ocs));
  for (int b = 0; b < blocks; ++b) {
    if (uniform) {
      for (int o = 0; o < ocs; ++o) per[static_cast<std::size_t>(b)][static_cast<std::size_t>(o)] = each;
    } else {
      const int u = 1 + below(rng, max_uplinks);
      for (int k = 0; k < u; ++k) ++per[static_cast<std::size_t>(b)][static_cast<std::size_t>(below(rng, ocs))];
    }
  }
  for (int o = 0; o < ocs; ++o) {
    int ports = 0;
    for (int b = 0; b < blocks; ++b) ports += per[static_cast<std::size_t>(b)][static_cast<std::size_t>(o)];
    topo::Ocs dev{fmt::format("o{}", o), std::max(1, ports + below(rng, 3)), {}};
    for (int p = 0; p < ports; ++p) {
      if (below(rng, 20) == 0) dev.failed_ports.push_back(p);
    }
    f.ocs.push_back(std::move(dev));
  }
  std::vector<int> next(static_cast<std::size_t>(ocs), 0);
  for (int b = 0; b < blocks; ++b) {
    topo::Block blk{fmt::format("b{}", b), {fmt::format("h{}", b)}, {}};
    for (int o = 0; o < ocs; ++o) {
      for (int k = 0; k < per[static_cast<std::size_t>(b)][static_cast<std::size_t>(o)]; ++k) {
        blk.uplinks.push_back({o, next[static_cast<std::size_t>(o)]++});
      }
    }
    f.blocks.push_back(std::move(blk));
  }
  return f;
}

topo::TrafficMatrix gravity_traffic(const topo::Fabric& fabric, double load, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  topo::TrafficMatrix m = block_matrix(fabric);
  const std::size_t n = m.size();
  std::vector<double> w(n);
  for (double& v : w) v = lognormal(rng);
  double capacity = 0;
  for (const topo::Block& b : fabric.blocks) {
    for (const topo::PortRef& u : b.uplinks) capacity += fabric.port_failed(u.ocs, u.port) ? 0 : fabric.link_gbps;
  }
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) sum += i == j ? 0 : w[i] * w[j];
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) m.at(i, j) = std::round(w[i] * w[j] / sum * load * capacity * kBytesPerGbit);
    }
  }
  return m;
}

topo::TrafficMatrix random_traffic(const topo::Fabric& fabric, double peak_gbps, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  topo::TrafficMatrix m = block_matrix(fabric);
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (i != j && below(rng, 2) == 0) m.at(i, j) = std::round(uniform01(rng) * peak_gbps * kBytesPerGbit);
    }
  }
  return m;
}

topo::TrafficMatrix ring_traffic(const topo::Fabric& fabric, double gbps) {
  topo::TrafficMatrix m = block_matrix(fabric);
  for (std::size_t i = 0; i < m.size(); ++i) m.at(i, (i + 1) % m.size()) = gbps * kBytesPerGbit;
  return m;
}

topo::TrafficMatrix uniform_traffic(const topo::Fabric& fabric, double gbps) {
  topo::TrafficMatrix m = block_matrix(fabric);
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (i != j) m.at(i, j) = gbps * kBytesPerGbit;
    }
  }
  return m;
}

topo::OcsConfig mesh_config(const topo::Fabric& fabric) {
  const int n = static_cast<int>(fabric.blocks.size());
  LP_ENFORCE(n >= 2, "a mesh needs two blocks");
  // ports[o][b]: block b's ports on OCS o.
  std::vector<std::vector<std::vector<int>>> ports(fabric.ocs.size(), std::vector<std::vector<int>>(static_cast<std::size_t>(n)));
  for (int b = 0; b < n; ++b) {
    for (const topo::PortRef& u : fabric.blocks[static_cast<std::size_t>(b)].uplinks) {
      ports[static_cast<std::size_t>(u.ocs)][static_cast<std::size_t>(b)].push_back(u.port);
    }
  }
  topo::OcsConfig config;
  int shift = 0;
  for (std::size_t o = 0; o < fabric.ocs.size(); ++o) {
    const std::size_t per = ports[o][0].size();
    for (int b = 0; b < n; ++b) {
      LP_ENFORCE_EQ(ports[o][static_cast<std::size_t>(b)].size(), per, "mesh_config needs a uniform fabric");
    }
    for (std::size_t t = 0; 2 * t + 1 < per; ++t) {
      const int s = 1 + shift++ % (n / 2);
      for (int b = 0; b < n; ++b) {
        const int a = ports[o][static_cast<std::size_t>(b)][2 * t];
        const int c = ports[o][static_cast<std::size_t>((b + s) % n)][2 * t + 1];
        config.circuits.push_back({static_cast<int>(o), std::min(a, c), std::max(a, c)});
      }
    }
  }
  std::sort(config.circuits.begin(), config.circuits.end());
  return config;
}

}  // namespace lp::ocs::synth
