// The measured hop count from interface counters: reading `ip -s -j link show`, the arithmetic
// over an interval, and interfaces that came and went in it.
#include "core/error.h"
#include "lab/counters.h"

#include <gtest/gtest.h>

namespace lp::lab {
namespace {

Counter counter(const char* netns, const char* ifname, int ifindex, CounterKind kind, std::uint64_t tx) {
  return Counter{netns, ifname, ifindex, kind, 0, tx};
}

TEST(LabCounters, ReadsTheLabsInterfacesFromIpJson) {
  const std::string text = R"([
    {"ifindex":1,"ifname":"lo","stats64":{"rx":{"bytes":5},"tx":{"bytes":5}}},
    {"ifindex":2,"ifname":"lpbr","stats64":{"rx":{"bytes":10},"tx":{"bytes":20}}},
    {"ifindex":3,"ifname":"lph0","stats64":{"rx":{"bytes":30},"tx":{"bytes":40}}},
    {"ifindex":7,"ifname":"lpu3","stats64":{"rx":{"bytes":50},"tx":{"bytes":60}}},
    {"ifindex":8,"ifname":"eth0","stats64":{"rx":{"bytes":70},"tx":{"bytes":80}}}])";
  const auto c = parse_link_stats(text, "lp-b-b0", "lp");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].kind, CounterKind::kBridge);
  EXPECT_EQ(c[0].tx_bytes, 20u);
  EXPECT_EQ(c[1].kind, CounterKind::kHostLink);
  EXPECT_EQ(c[1].rx_bytes, 30u);
  EXPECT_EQ(c[2].kind, CounterKind::kCircuit);
  EXPECT_EQ(c[2].ifindex, 7);
  EXPECT_EQ(c[2].netns, "lp-b-b0");
  EXPECT_THROW(parse_link_stats(R"([{"ifname":"lpu0"}])", "lp-b-b0", "lp"), Error);
}

TEST(LabCounters, HopCountIsCircuitBytesOverBytesDeliveredBetweenBlocks) {
  // 1000 bytes went direct (one circuit), 1000 through a transit block (two circuits).
  Snapshot mark{10.0, {counter("b0", "lpu0", 4, CounterKind::kCircuit, 500),
                       counter("b1", "lpu0", 4, CounterKind::kCircuit, 0),
                       counter("b2", "lpu1", 5, CounterKind::kCircuit, 0),
                       counter("b1", "lpbr", 2, CounterKind::kBridge, 100),
                       counter("b2", "lpbr", 2, CounterKind::kBridge, 0),
                       counter("b2", "lph0", 3, CounterKind::kHostLink, 0)}};
  Snapshot now = mark;
  now.monotonic_s = 12.5;
  now.counters[0].tx_bytes += 2000;  // b0 -> b1 (1000 for b1, 1000 on to b2)
  now.counters[1].tx_bytes += 1000;  // b1 -> b2 (transit)
  now.counters[3].tx_bytes += 1000;  // b1 delivered
  now.counters[4].tx_bytes += 1000;  // b2 delivered
  now.counters[5].tx_bytes += 1300;  // b2's host got 1000 from afar and 300 from its block
  const HopCount h = hop_count(mark, now);
  EXPECT_DOUBLE_EQ(h.seconds, 2.5);
  EXPECT_EQ(h.circuit_bytes, 3000u);
  EXPECT_EQ(h.delivered_bytes, 2000u);
  EXPECT_EQ(h.host_bytes, 1300u);
  ASSERT_TRUE(h.hop_count.has_value());
  EXPECT_DOUBLE_EQ(*h.hop_count, 1.5);
  EXPECT_EQ(h.fresh, 0);
  EXPECT_EQ(h.gone, 0);
  EXPECT_NE(format_hop_count(h).find("measured hop count: 1.500\n"), std::string::npos);
}

TEST(LabCounters, InterfacesMadeSinceTheMarkCountFromZeroAndRemovedOnesAreNoted) {
  const Snapshot mark{0, {counter("b0", "lpu0", 4, CounterKind::kCircuit, 900),
                          counter("b0", "lpu1", 5, CounterKind::kCircuit, 900),
                          counter("b1", "lpbr", 2, CounterKind::kBridge, 0)}};
  // lpu0 was removed and made again (new index); lpu1 is gone; lpu2 is new.
  const Snapshot now{1, {counter("b0", "lpu0", 9, CounterKind::kCircuit, 100),
                         counter("b0", "lpu2", 10, CounterKind::kCircuit, 100),
                         counter("b1", "lpbr", 2, CounterKind::kBridge, 200)}};
  const HopCount h = hop_count(mark, now);
  EXPECT_EQ(h.circuit_bytes, 200u);
  EXPECT_EQ(h.fresh, 2);
  EXPECT_EQ(h.gone, 2);
  EXPECT_DOUBLE_EQ(*h.hop_count, 1.0);
}

TEST(LabCounters, NothingBetweenBlocksMeansNoHopCount) {
  const Snapshot s{0, {counter("b0", "lpbr", 2, CounterKind::kBridge, 7)}};
  const HopCount h = hop_count(s, s);
  EXPECT_FALSE(h.hop_count.has_value());
  EXPECT_NE(format_hop_count(h).find("measured hop count: n/a"), std::string::npos);
}

TEST(LabCounters, SnapshotsRoundTripThroughJson) {
  const Snapshot s{3.25, {counter("lp-b-b0", "lpu0", 4, CounterKind::kCircuit, 1ull << 40),
                          counter("lp-b-b0", "lph1", 5, CounterKind::kHostLink, 3)}};
  const Snapshot back = snapshot_from_json(to_json(s), "mark.json");
  ASSERT_EQ(back.counters.size(), 2u);
  EXPECT_DOUBLE_EQ(back.monotonic_s, 3.25);
  EXPECT_EQ(back.counters[0].tx_bytes, 1ull << 40);
  EXPECT_EQ(back.counters[1].kind, CounterKind::kHostLink);
  nlohmann::json bad = to_json(s);
  bad["format"] = "lightpath.lab-counters/9";
  EXPECT_THROW(snapshot_from_json(bad, "mark.json"), InputError);
}

}  // namespace
}  // namespace lp::lab
