// Rank -> host -> block aggregation keeps every byte, lands each on the right pair, and names
// what does not map.
#include "core/error.h"
#include "topo/traffic.h"

#include <gtest/gtest.h>

namespace lp::topo {
namespace {

Fabric two_blocks() {
  Fabric f;
  f.name = "pod";
  f.link_gbps = 100;
  f.ocs = {Ocs{"o", 4, {}}};
  f.blocks = {Block{"A", {"h0", "h1"}, {PortRef{0, 0}, PortRef{0, 1}}},
              Block{"B", {"h2"}, {PortRef{0, 2}, PortRef{0, 3}}}};
  return f;
}

// Six ranks on hosts h0 h0 h1 h2 h2 h1, rank i sends 100*i + j + 1 to rank j (j != i).
TrafficMatrix six_ranks() {
  TrafficMatrix m = TrafficMatrix::zeros(TrafficLevel::kRank, 2.0, {"0", "1", "2", "3", "4", "5"});
  m.hosts = {"h0", "h0", "h1", "h2", "h2", "h1"};
  for (std::size_t i = 0; i < 6; ++i) {
    for (std::size_t j = 0; j < 6; ++j) {
      if (i != j) m.at(i, j) = static_cast<double>(100 * i + j + 1);
    }
  }
  return m;
}

TEST(Aggregate, RankToHostSumsExactly) {
  const TrafficMatrix m = six_ranks();
  const TrafficMatrix h = aggregate(m, two_blocks(), TrafficLevel::kHost);
  EXPECT_EQ(h.level, TrafficLevel::kHost);
  EXPECT_EQ(h.duration_s, 2.0);
  EXPECT_EQ(h.names, (std::vector<std::string>{"h0", "h1", "h2"}));
  EXPECT_EQ(h.total(), m.total());
  // h0 = {0,1}, h1 = {2,5}, h2 = {3,4}.
  const std::vector<std::vector<std::size_t>> members = {{0, 1}, {2, 5}, {3, 4}};
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 0; b < 3; ++b) {
      double want = 0;
      for (std::size_t i : members[a]) {
        for (std::size_t j : members[b]) want += m.at(i, j);
      }
      EXPECT_EQ(h.at(a, b), want) << a << "," << b;
    }
  }
}

TEST(Aggregate, RankToBlockEqualsHostToBlock) {
  const Fabric f = two_blocks();
  const TrafficMatrix m = six_ranks();
  const TrafficMatrix direct = aggregate(m, f, TrafficLevel::kBlock);
  const TrafficMatrix staged = aggregate(aggregate(m, f, TrafficLevel::kHost), f, TrafficLevel::kBlock);
  EXPECT_EQ(direct.names, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(direct.bytes, staged.bytes);
  EXPECT_EQ(direct.total(), m.total());
  // A = ranks {0,1,2,5}, B = {3,4}.
  double ab = 0;
  for (std::size_t i : {0, 1, 2, 5}) {
    for (std::size_t j : {3, 4}) ab += m.at(i, j);
  }
  EXPECT_EQ(direct.at(0, 1), ab);
}

TEST(Aggregate, BlockLevelIsReorderedOntoFabricBlocks) {
  TrafficMatrix m = TrafficMatrix::zeros(TrafficLevel::kBlock, 1.0, {"B", "A"});
  m.at(0, 1) = 5;
  const TrafficMatrix out = aggregate(m, two_blocks(), TrafficLevel::kBlock);
  EXPECT_EQ(out.names, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(out.at(1, 0), 5);
}

TEST(Aggregate, NamesWhatDoesNotMap) {
  TrafficMatrix m = six_ranks();
  m.hosts[3] = "laptop";
  m.hosts[4] = "laptop";
  try {
    aggregate(m, two_blocks(), TrafficLevel::kBlock);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("host 'laptop' not in fabric 'pod'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--rank-hosts"), std::string::npos) << e.what();
  }
  m.hosts.clear();
  EXPECT_THROW(aggregate(m, two_blocks(), TrafficLevel::kHost), InputError);
  EXPECT_THROW(aggregate(six_ranks(), two_blocks(), TrafficLevel::kRank), InputError);
  const TrafficMatrix blocks = aggregate(six_ranks(), two_blocks(), TrafficLevel::kBlock);
  EXPECT_THROW(aggregate(blocks, two_blocks(), TrafficLevel::kHost), InputError);
}

TEST(Aggregate, SpreadRanksFillsEveryBlockFirst) {
  const Fabric f = two_blocks();  // hosts h0 h1 h2
  EXPECT_EQ(spread_ranks(f, 3), (std::vector<std::string>{"h0", "h1", "h2"}));
  EXPECT_EQ(spread_ranks(f, 6), (std::vector<std::string>{"h0", "h0", "h1", "h1", "h2", "h2"}));
  EXPECT_EQ(spread_ranks(f, 2), (std::vector<std::string>{"h0", "h1"}));
  Fabric empty = f;
  for (Block& b : empty.blocks) b.hosts.clear();
  EXPECT_THROW(spread_ranks(empty, 2), InputError);
}

}  // namespace
}  // namespace lp::topo
