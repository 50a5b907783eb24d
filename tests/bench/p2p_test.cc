#include "bench/p2p/pair_matrix.h"
#include "bench/p2p/report.h"
#include "bench/p2p/sweep.h"
#include "core/error.h"
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

namespace lp::bench::p2p {
namespace {

using namespace std::chrono_literals;

TEST(Pairing, HalvesPairsIWithIPlusHalf) {
  const auto s = halves_schedule(6);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0], (Round{{0, 3}, {1, 4}, {2, 5}}));
  EXPECT_EQ(halves_schedule(5)[0], (Round{{0, 2}, {1, 3}}));  // rank 4 sits out
  EXPECT_EQ(pair_of(s[0], 4), &s[0][1]);
  EXPECT_EQ(pair_of(halves_schedule(5)[0], 4), nullptr);
}

TEST(Pairing, RoundRobinMeetsEveryPairOnceInDisjointRounds) {
  for (int n = 2; n <= 11; ++n) {
    std::vector<int> members;
    for (int i = 0; i < n; ++i) members.push_back(10 + i);
    const auto rounds = round_robin_schedule(members);
    EXPECT_EQ(rounds.size(), static_cast<std::size_t>(n % 2 == 0 ? n - 1 : n)) << n;
    std::set<std::pair<int, int>> seen;
    for (const Round& r : rounds) {
      std::set<int> busy;
      EXPECT_EQ(r.size(), static_cast<std::size_t>(n / 2));
      for (const Pair& p : r) {
        EXPECT_LT(p.a, p.b);
        EXPECT_TRUE(busy.insert(p.a).second && busy.insert(p.b).second) << "rank twice in a round";
        EXPECT_TRUE(seen.insert({p.a, p.b}).second) << "pair twice";
      }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(n * (n - 1) / 2));
  }
}

TEST(Exchange, ModesParseAndDefaultsScale) {
  EXPECT_EQ(parse_mode("bibw"), Mode::kBibw);
  EXPECT_THROW(parse_mode("latency"), InputError);
  EXPECT_EQ(default_iters(Mode::kLat, 8, 1), 10000u);
  EXPECT_LT(default_iters(Mode::kLat, 4 << 20, 1), 1000u);
  EXPECT_GE(default_iters(Mode::kBw, std::size_t{1} << 40, 64), 20u);  // no overflow to 0
  EXPECT_EQ(default_warmup(10000), 1000u);
}

TEST(Sweep, PairResultSurvivesTheBootstrap) {
  PairResult r;
  for (std::uint64_t v : {100u, 250u, 4000u}) r.per_message.record(v);
  r.timed_s = 0.5;
  r.bytes = std::uint64_t{5} << 32;
  r.messages = 77;
  r.mismatch = "rank 1: byte 3";
  const PairPoint p = decode_pair_point(encode({2, 5}, r));
  EXPECT_EQ(p.pair, (Pair{2, 5}));
  EXPECT_EQ(p.result.bytes, r.bytes);
  EXPECT_EQ(p.result.messages, 77u);
  EXPECT_EQ(p.result.mismatch, r.mismatch);
  EXPECT_EQ(p.result.per_message.count(), 3u);
  EXPECT_EQ(p.result.per_message.max(), 4000u);
  EXPECT_THROW(decode_pair_point("{\"a\":1}"), Error);
  EXPECT_THROW(decode_pair_point("not json"), Error);
}

std::vector<std::string> backends() {
  std::vector<std::string> names = {"tcp"};
  if (LP_HAVE_UCX) names.push_back("ucx");
  return names;
}

class SweepOver : public ::testing::TestWithParam<std::tuple<std::string, int, Mode>> {};

// Runs a short checked sweep with ranks as threads; returns rank 0's points and each rank's
// traffic counters.
std::vector<Point> sweep(const std::string& backend, int n, SweepOptions o,
                         std::vector<std::vector<transport::PeerTraffic>>& traffic) {
  std::vector<Point> root_points;
  std::mutex mu;
  traffic.assign(static_cast<std::size_t>(n), {});
  transport::TransportOptions topts;
  topts.timeout = 20s;
  transport::run_transport_ranks(backend, n, topts, [&](transport::Transport& t) {
    auto points = run_sweep(t, o, [](const Point&) {});
    std::lock_guard<std::mutex> lock(mu);
    traffic[static_cast<std::size_t>(t.rank())] = t.traffic().peers();
    if (t.rank() == 0) root_points = std::move(points);
  });
  return root_points;
}

TEST_P(SweepOver, CheckedPointsCountEveryMessage) {
  const auto [backend, n, mode] = GetParam();
  SweepOptions o;
  o.mode = mode;
  o.sizes = {0, 1, 4096, 70000};
  o.iters = 20;
  o.warmup = 3;
  o.window = 4;
  o.check = true;
  o.schedule = halves_schedule(n);
  std::vector<std::vector<transport::PeerTraffic>> traffic;
  const auto points = sweep(backend, n, o, traffic);
  ASSERT_EQ(points.size(), o.sizes.size());
  const std::size_t w = mode == Mode::kLat ? 1 : o.window;
  const std::size_t per_iter = mode == Mode::kLat ? 2 : mode == Mode::kBw ? w : 2 * w;
  std::uint64_t payload_bytes = 0;
  for (const Point& p : points) {
    EXPECT_TRUE(p.mismatches.empty()) << p.mismatches.front();
    ASSERT_EQ(p.pairs.size(), static_cast<std::size_t>(n / 2));
    EXPECT_EQ(p.iters, 20u);
    for (const PairPoint& pp : p.pairs) {
      EXPECT_EQ(pp.pair.b, pp.pair.a + n / 2);
      EXPECT_EQ(pp.result.per_message.count(), 20u);
      EXPECT_EQ(pp.result.messages, 20u * per_iter);
      EXPECT_EQ(pp.result.bytes, 20u * per_iter * p.size);
      EXPECT_GT(pp.result.timed_s, 0);
    }
    payload_bytes += 23u * p.size;  // warmup and timed, per direction and message slot
  }
  // The transport counted exactly what the loops sent: rank a to its partner and back.
  const int a = 0;
  const int b = n / 2;
  const std::uint64_t to_b = mode == Mode::kLat ? payload_bytes : payload_bytes * w;
  EXPECT_EQ(traffic[a][b].bytes, to_b);
  if (mode == Mode::kBw) {
    EXPECT_EQ(traffic[b][a].bytes, 23u * o.sizes.size());  // one-byte acknowledgements
  } else {
    EXPECT_EQ(traffic[b][a].bytes, to_b);
  }
  EXPECT_EQ(traffic[a][n > 2 ? 1 : a].bytes, 0u);  // nothing to ranks outside the pair
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SweepOver,
    ::testing::Combine(::testing::ValuesIn(backends()), ::testing::Values(2, 4),
                       ::testing::Values(Mode::kLat, Mode::kBw, Mode::kBibw)),
    [](const auto& info) {
      return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param)) + "_" +
             to_string(std::get<2>(info.param));
    });

TEST(Sweep, DurationAgreesOnOneCountEverywhere) {
  SweepOptions o;
  o.mode = Mode::kLat;
  o.sizes = {64};
  o.warmup = 50;
  o.duration = 20ms;
  o.schedule = halves_schedule(4);
  std::vector<std::vector<transport::PeerTraffic>> traffic;
  const auto points = sweep("tcp", 4, o, traffic);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_GE(points[0].iters, 1u);
  for (const PairPoint& pp : points[0].pairs) {
    EXPECT_EQ(pp.result.per_message.count(), points[0].iters);
  }
}

TEST(Sweep, RoundRobinScheduleMeasuresEveryPair) {
  SweepOptions o;
  o.mode = Mode::kLat;
  o.sizes = {8};
  o.iters = 10;
  o.warmup = 1;
  o.schedule = round_robin_schedule({0, 1, 2, 3, 4});
  std::vector<std::vector<transport::PeerTraffic>> traffic;
  const auto points = sweep("tcp", 5, o, traffic);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].pairs.size(), 10u);
}

TEST(Report, RecordCarriesTheDesignFields) {
  SweepOptions o;
  o.mode = Mode::kBw;
  o.window = 8;
  o.check = true;
  Point p;
  p.size = 4096;
  p.iters = 100;
  PairPoint pp;
  pp.pair = {0, 1};
  for (int i = 0; i < 100; ++i) pp.result.per_message.record(1000 + static_cast<std::uint64_t>(i));
  pp.result.timed_s = 1e-3;
  pp.result.bytes = 100 * 8 * 4096;
  pp.result.messages = 800;
  p.pairs = {pp, pp};
  const nlohmann::json base = {{"format", "lightpath.result/1"}, {"benchmark", "p2p"}};
  const auto r = point_record(base, o, p, {"h0", "h1"});
  EXPECT_EQ(r["format"], "lightpath.result/1");
  EXPECT_EQ(r["mode"], "bw");
  EXPECT_EQ(r["size"], 4096);
  EXPECT_EQ(r["pairs"], 2);
  for (const char* k : {"min", "avg", "p50", "p90", "p99", "p999", "max"}) {
    EXPECT_TRUE(r["latency_us"].contains(k)) << k;
  }
  EXPECT_NEAR(r["latency_us"]["min"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(r["bandwidth_GBps"].get<double>(), 2 * 3.2768, 1e-9);  // two pairs summed
  EXPECT_NEAR(r["msg_rate"].get<double>(), 1.6e6, 1e-3);
  EXPECT_EQ(r["check"], "pass");
  EXPECT_EQ(r["per_pair"][1]["hosts"], (nlohmann::json{"h0", "h1"}));
  // 200 samples: p99.9 has fewer than 10 above it, p50 has plenty.
  EXPECT_EQ(r["few_samples"], (nlohmann::json{"p99", "p999"}));
}

}  // namespace
}  // namespace lp::bench::p2p

namespace lp::bench::p2p {
namespace {

// A matrix of 6 hosts where every pair with h3 is three times slower.
PairMatrix one_bad_host() {
  Point point;
  point.size = 8;
  for (int a = 0; a < 6; ++a) {
    for (int b = a + 1; b < 6; ++b) {
      PairPoint pp;
      pp.pair = {a, b};
      const std::uint64_t ns = (a == 3 || b == 3) ? 3000 : 1000 + static_cast<std::uint64_t>(10 * (a + b));
      for (int i = 0; i < 50; ++i) pp.result.per_message.record(ns);
      point.pairs.push_back(pp);
    }
  }
  return pair_matrix(point, pair_members({"h0", "h1", "h2", "h3", "h4", "h5"}));
}

TEST(PairMatrix, MembersAreOneRankPerHostOrEveryRankOnOneHost) {
  const Members m = pair_members({"a", "a", "b", "c", "b"});
  EXPECT_EQ(m.ranks, (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(m.labels, (std::vector<std::string>{"a", "b", "c"}));
  const Members one = pair_members({"x", "x", "x"});
  EXPECT_EQ(one.ranks, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(one.labels[2], "rank 2");
}

TEST(PairMatrix, NamesTheHostInEverySlowPair) {
  const PairMatrix m = one_bad_host();
  EXPECT_EQ(m.p50_us[0][3], m.p50_us[3][0]);
  EXPECT_NEAR(m.p50_us[0][3], 3.0, 0.02);
  EXPECT_EQ(m.p50_us[2][2], 0);
  const auto slow = slowest_pairs(m);
  ASSERT_EQ(slow.size(), 3u);  // 15 pairs: at most max(3, 1) listed, all with h3
  for (const SlowPair& p : slow) EXPECT_TRUE(p.a == 3 || p.b == 3);
  const auto sus = suspects(m, slow);
  ASSERT_EQ(sus.size(), 1u);
  EXPECT_EQ(sus[0].label, "h3");
  EXPECT_EQ(sus[0].slow_pairs, 3u);
  const auto j = to_json(m, slow, sus);
  EXPECT_EQ(j["format"], "lightpath.latency-matrix/1");
  EXPECT_EQ(j["suspects"][0]["name"], "h3");
  EXPECT_NE(format_pair_matrix(m).find("in most of the slow pairs: h3 (3 of 3)"), std::string::npos);
}

TEST(PairMatrix, AHealthyMatrixHasNoSuspect) {
  Point point;
  point.size = 8;
  PairPoint pp;
  for (int i = 0; i < 20; ++i) pp.result.per_message.record(1000);
  for (auto [a, b] : {std::pair{0, 1}, {0, 2}, {1, 2}}) {
    pp.pair = {a, b};
    point.pairs.push_back(pp);
  }
  const PairMatrix m = pair_matrix(point, pair_members({"a", "b", "c"}));
  EXPECT_TRUE(slowest_pairs(m).empty());
  EXPECT_NE(format_pair_matrix(m).find("no pair is slower"), std::string::npos);
}

}  // namespace
}  // namespace lp::bench::p2p
