#include "core/error.h"
#include "topo/traffic_gen.h"

#include <gtest/gtest.h>

#include <numeric>

namespace lp::topo {
namespace {

std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("b" + std::to_string(i));
  return out;
}

double off_diagonal(const TrafficMatrix& m) {
  double s = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    EXPECT_EQ(m.at(i, i), 0) << "no traffic to itself";
    for (std::size_t j = 0; j < m.size(); ++j) s += i != j ? m.at(i, j) : 0;
  }
  return s;
}

TEST(TrafficGen, EveryPatternSpreadsTheTotalAndIsReproducible) {
  for (const char* p : {"ring", "alltoall", "gravity", "hotspot", "permutation", "mixed"}) {
    const Pattern pattern = parse_pattern(p);
    const auto a = generate_traffic(pattern, TrafficLevel::kBlock, names(16), 1e12, 2.0, 7);
    const auto b = generate_traffic(pattern, TrafficLevel::kBlock, names(16), 1e12, 2.0, 7);
    EXPECT_EQ(a.bytes, b.bytes) << p;
    EXPECT_NEAR(off_diagonal(a), 1e12, 16 * 16) << p;  // whole bytes: rounding per entry
    EXPECT_EQ(a.duration_s, 2.0);
    for (double v : a.bytes) EXPECT_EQ(v, std::floor(v));
  }
}

TEST(TrafficGen, RingSendsToTheSuccessorOnly) {
  const auto m = generate_traffic(Pattern::kRing, TrafficLevel::kBlock, names(5), 5000, 1, 1);
  for (std::size_t i = 0; i < 5; ++i) {
    for (std::size_t j = 0; j < 5; ++j) EXPECT_EQ(m.at(i, j), j == (i + 1) % 5 ? 1000 : 0);
  }
}

TEST(TrafficGen, PermutationIsADerangement) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto m = generate_traffic(Pattern::kPermutation, TrafficLevel::kHost, names(9), 9e6, 1, seed);
    for (std::size_t i = 0; i < 9; ++i) {
      int targets = 0, sources = 0;
      for (std::size_t j = 0; j < 9; ++j) {
        targets += m.at(i, j) > 0;
        sources += m.at(j, i) > 0;
      }
      EXPECT_EQ(targets, 1);
      EXPECT_EQ(sources, 1);
    }
  }
}

TEST(TrafficGen, HotspotPutsEightyPercentOnFewPairs) {
  const auto m = generate_traffic(Pattern::kHotspot, TrafficLevel::kBlock, names(16), 1e9, 1, 3);
  std::vector<double> v = m.bytes;
  std::sort(v.rbegin(), v.rend());
  EXPECT_NEAR(std::accumulate(v.begin(), v.begin() + 2, 0.0), 0.8e9 + 2 * 0.2e9 / 240, 1e3);
}

TEST(TrafficGen, SeedsDiffer) {
  const auto a = generate_traffic(Pattern::kGravity, TrafficLevel::kBlock, names(8), 1e9, 1, 1);
  const auto b = generate_traffic(Pattern::kGravity, TrafficLevel::kBlock, names(8), 1e9, 1, 2);
  EXPECT_NE(a.bytes, b.bytes);
}

TEST(TrafficGen, BadInput) {
  EXPECT_THROW(parse_pattern("star"), InputError);
  EXPECT_THROW(generate_traffic(Pattern::kRing, TrafficLevel::kBlock, names(1), 1, 1, 1), InputError);
  EXPECT_THROW(generate_traffic(Pattern::kRing, TrafficLevel::kBlock, names(3), 1, 0, 1), InputError);
  EXPECT_THROW(generate_traffic(Pattern::kRing, TrafficLevel::kBlock, names(3), -1, 1, 1), InputError);
}

}  // namespace
}  // namespace lp::topo
