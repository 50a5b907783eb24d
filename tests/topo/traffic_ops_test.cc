#include "core/error.h"
#include "topo/traffic_ops.h"

#include <gtest/gtest.h>

namespace lp::topo {
namespace {

TrafficMatrix host(std::vector<std::string> names, std::vector<double> bytes, double seconds) {
  TrafficMatrix m = TrafficMatrix::zeros(TrafficLevel::kHost, seconds, std::move(names));
  m.bytes = std::move(bytes);
  return m;
}

TEST(TrafficOps, MergeSumUnitesNamesAndAddsDurations) {
  const auto a = host({"x", "y"}, {0, 10, 20, 0}, 1);
  const auto b = host({"y", "z"}, {0, 5, 7, 0}, 2);
  const auto m = merge_sum({a, b}, {"a", "b"});
  ASSERT_EQ(m.names, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(m.duration_s, 3);
  EXPECT_EQ(m.at(0, 1), 10);
  EXPECT_EQ(m.at(1, 0), 20);
  EXPECT_EQ(m.at(1, 2), 5);
  EXPECT_EQ(m.at(2, 1), 7);
  EXPECT_EQ(m.total(), a.total() + b.total());
}

TEST(TrafficOps, MergePeakTakesTheHighestRatePerPair) {
  const auto a = host({"x", "y"}, {0, 100, 10, 0}, 10);  // 10 B/s and 1 B/s
  const auto b = host({"x", "y"}, {0, 40, 40, 0}, 2);    // 20 B/s and 20 B/s
  const auto m = merge_peak({a, b}, {"a", "b"});
  EXPECT_EQ(m.duration_s, 1);
  EXPECT_EQ(m.at(0, 1), 20);
  EXPECT_EQ(m.at(1, 0), 20);
  EXPECT_THROW(merge_peak({host({"x", "y"}, {0, 1, 1, 0}, 0)}, {"zero"}), InputError);
}

TEST(TrafficOps, MergeRefusesMixedLevelsAndConflictingHosts) {
  TrafficMatrix r1 = TrafficMatrix::zeros(TrafficLevel::kRank, 1, {"0", "1"});
  r1.hosts = {"h0", "h1"};
  TrafficMatrix r2 = r1;
  r2.hosts = {"h0", "h9"};
  try {
    merge_sum({r1, r2}, {"one.json", "two.json"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("two.json"), std::string::npos);
  }
  EXPECT_THROW(merge_sum({r1, host({"x", "y"}, {0, 1, 1, 0}, 1)}, {"r", "h"}), InputError);
  EXPECT_THROW(merge_sum({}, {}), InputError);
}

TEST(TrafficOps, TopPairsAndShow) {
  const auto m = host({"a", "b", "c"}, {5, 1, 9, 3, 0, 0, 9, 2, 0}, 1);
  const auto top = top_pairs(m, 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].src, 0u);  // a->c 9 before c->a 9 (ties by source)
  EXPECT_EQ(top[0].dst, 2u);
  EXPECT_EQ(top[1].src, 2u);
  EXPECT_NEAR(gbps(m, 1e9), 8, 1e-12);
  const std::string text = format_traffic(m, 3);
  EXPECT_NE(text.find("top 3 pairs"), std::string::npos);
  EXPECT_NE(text.find("heatmap"), std::string::npos);
  EXPECT_NE(text.find("@"), std::string::npos);
}

}  // namespace
}  // namespace lp::topo
