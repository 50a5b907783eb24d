#include "topo/traffic_gen.h"

#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lp::topo {
namespace {

// splitmix64: a tiny generator whose output is fixed by the seed on every platform (the
// standard library's distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

 private:
  std::uint64_t state_;
};

using Weights = std::vector<double>;  // n*n, row-major, off-diagonal shares

void add_ring(Weights& w, std::size_t n, double share) {
  for (std::size_t i = 0; i < n; ++i) w[i * n + (i + 1) % n] += share / static_cast<double>(n);
}
void add_uniform(Weights& w, std::size_t n, double share) {
  const double each = share / static_cast<double>(n * (n - 1));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) w[i * n + j] += each;
    }
  }
}
void add_gravity(Weights& w, std::size_t n, double share, Rng& rng) {
  std::vector<double> mass(n);
  for (double& m : mass) m = std::exp(rng.normal());  // log-normal, sigma 1
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) sum += mass[i] * mass[j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) w[i * n + j] += share * mass[i] * mass[j] / sum;
    }
  }
}
void add_hotspot(Weights& w, std::size_t n, double share, Rng& rng) {
  const std::size_t hot = std::max<std::size_t>(1, n / 8);
  std::vector<std::size_t> picked;
  while (picked.size() < hot) {
    const std::size_t i = rng.below(n);
    const std::size_t j = rng.below(n);
    if (i == j || std::find(picked.begin(), picked.end(), i * n + j) != picked.end()) continue;
    picked.push_back(i * n + j);
  }
  for (std::size_t p : picked) w[p] += 0.8 * share / static_cast<double>(hot);
  add_uniform(w, n, 0.2 * share);
}
void add_permutation(Weights& w, std::size_t n, double share, Rng& rng) {
  // Sattolo's algorithm: a uniformly random cyclic permutation, so nobody sends to itself.
  std::vector<std::size_t> to(n);
  std::iota(to.begin(), to.end(), 0);
  for (std::size_t i = n - 1; i > 0; --i) std::swap(to[i], to[rng.below(i)]);
  for (std::size_t i = 0; i < n; ++i) w[i * n + to[i]] += share / static_cast<double>(n);
}

}  // namespace

Pattern parse_pattern(const std::string& text) {
  for (Pattern p : {Pattern::kRing, Pattern::kAllToAll, Pattern::kGravity, Pattern::kHotspot,
                    Pattern::kPermutation, Pattern::kMixed}) {
    if (text == to_string(p)) return p;
  }
  throw input_error("--pattern", fmt::format("'{}' is not a pattern (expected ring, alltoall, gravity, "
                                             "hotspot, permutation or mixed)", text));
}

std::string to_string(Pattern p) {
  switch (p) {
    case Pattern::kRing: return "ring";
    case Pattern::kAllToAll: return "alltoall";
    case Pattern::kGravity: return "gravity";
    case Pattern::kHotspot: return "hotspot";
    case Pattern::kPermutation: return "permutation";
    case Pattern::kMixed: return "mixed";
  }
  return "?";
}

TrafficMatrix generate_traffic(Pattern pattern, TrafficLevel level, std::vector<std::string> names,
                               double total_bytes, double duration_s, std::uint64_t seed) {
  const std::size_t n = names.size();
  if (n < 2) throw input_error("--names", "a traffic pattern needs at least two names");
  if (!(total_bytes >= 0) || !std::isfinite(total_bytes)) throw input_error("--total", "must be a non-negative size");
  if (!(duration_s > 0) || !std::isfinite(duration_s)) throw input_error("--duration", "must be positive");
  Rng rng(seed);
  Weights w(n * n, 0.0);
  switch (pattern) {
    case Pattern::kRing: add_ring(w, n, 1.0); break;
    case Pattern::kAllToAll: add_uniform(w, n, 1.0); break;
    case Pattern::kGravity: add_gravity(w, n, 1.0, rng); break;
    case Pattern::kHotspot: add_hotspot(w, n, 1.0, rng); break;
    case Pattern::kPermutation: add_permutation(w, n, 1.0, rng); break;
    case Pattern::kMixed:
      add_gravity(w, n, 0.5, rng);
      add_ring(w, n, 0.3);
      add_hotspot(w, n, 0.2, rng);
      break;
  }
  TrafficMatrix m = TrafficMatrix::zeros(level, duration_s, std::move(names));
  for (std::size_t k = 0; k < n * n; ++k) m.bytes[k] = std::floor(w[k] * total_bytes);
  return m;
}

}  // namespace lp::topo
