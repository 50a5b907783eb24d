// Percentiles with timeouts against exact values, the merge of per-rank results, verdicts.
#include "bench/rpc/report.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace lp::bench::rpc {
namespace {

using namespace std::chrono_literals;

// The exact percentile of `answered` plus `missing` samples above all of them; -1 for "among
// the missing".
double exact(std::vector<std::uint64_t> answered, std::uint64_t missing, double q) {
  std::sort(answered.begin(), answered.end());
  const std::uint64_t total = answered.size() + missing;
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q / 100.0 * total - 1e-9)));
  if (rank > answered.size()) return -1;
  return static_cast<double>(answered[rank - 1]);
}

TEST(Report, PercentilesWithTimeoutsMatchExactValues) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> lat(std::log(50e3), 1.0);  // around 50 us, long tail
  for (std::uint64_t missing : {0u, 3u, 150u}) {
    Histogram h;
    std::vector<std::uint64_t> v;
    for (int i = 0; i < 100000; ++i) {
      const auto x = static_cast<std::uint64_t>(lat(rng));
      v.push_back(x);
      h.record(x);
    }
    for (double q : {50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
      const double want = exact(v, missing, q);
      const auto got = percentile_or_timeout(h, missing, q);
      if (want < 0) {
        EXPECT_FALSE(got.has_value()) << "q=" << q << " missing=" << missing;
      } else {
        ASSERT_TRUE(got.has_value()) << "q=" << q << " missing=" << missing;
        EXPECT_LE(std::abs(static_cast<double>(*got) - want) / want,
                  Histogram::kMaxRelativeError + 1e-12)
            << "q=" << q << " missing=" << missing;
      }
    }
  }
  EXPECT_FALSE(percentile_or_timeout(Histogram(), 0, 50).has_value());
}

TEST(Report, FewSamplesFlagsThinTails) {
  EXPECT_FALSE(few_samples(1000, 90));   // 100 above
  EXPECT_FALSE(few_samples(1000, 99));   // 10 above
  EXPECT_TRUE(few_samples(1000, 99.9));  // 1 above
  EXPECT_TRUE(few_samples(5, 50));
}

TEST(Report, ResultsMergeAcrossRanksAndRejectGarbage) {
  RankResults a, b;
  a.counters.offered = 10;
  a.counters.answered = 9;
  a.counters.timeouts = 1;
  b.counters.offered = 5;
  b.counters.answered = 5;
  for (int i = 1; i <= 9; ++i) a.latency.record(static_cast<std::uint64_t>(i) * 1000);
  for (int i = 1; i <= 5; ++i) b.latency.record(static_cast<std::uint64_t>(i) * 100000);
  b.kv.record(777);
  const auto back = RankResults::deserialize(a.serialize());
  EXPECT_EQ(back->counters.answered, 9u);
  EXPECT_EQ(back->latency.count(), 9u);
  back->merge(*RankResults::deserialize(b.serialize()));
  EXPECT_EQ(back->counters.offered, 15u);
  EXPECT_EQ(back->latency.count(), 14u);
  EXPECT_EQ(back->latency.max(), 500000u);
  EXPECT_EQ(back->kv.count(), 1u);
  for (const char* bad : {"", "1 2 3\n", "1 2 3 4 5 6 7 8 9 10 11 12\n", "x\n"}) {
    EXPECT_THROW(RankResults::deserialize(bad), Error) << bad;
  }
  std::string trailing = a.serialize() + "junk";
  EXPECT_THROW(RankResults::deserialize(trailing), Error);
}

TEST(Report, VerdictsFailOnATailAmongTimeouts) {
  RpcFlags f;
  f.duration = "1s";
  f.slo = "p50=1ms,p99=1ms";
  const RpcConfig config = parse_config(f);
  LevelPlan plan;
  plan.rate = 100;
  auto merged = std::make_unique<RankResults>();
  merged->counters.offered = 100;
  merged->counters.completed = 98;
  merged->counters.answered = 98;
  merged->counters.timeouts = 2;
  for (int i = 0; i < 98; ++i) merged->latency.record(100000);  // 100 us
  const LevelOutcome o = summarize(config, plan, std::move(merged));
  ASSERT_EQ(o.verdicts.size(), 2u);
  EXPECT_TRUE(o.verdicts[0].pass);
  EXPECT_FALSE(o.verdicts[1].pass);  // p99 falls among the two timeouts
  EXPECT_FALSE(o.verdicts[1].measured_ns.has_value());
  EXPECT_FALSE(o.slo_pass);
  EXPECT_DOUBLE_EQ(o.offered_rps, 100);
  EXPECT_FALSE(o.kept_up);  // 98 of 100
  const Roles roles(config, 2);
  nlohmann::json base = nlohmann::json::object();
  const nlohmann::json r = level_record(base, config, roles, o, "");
  EXPECT_TRUE(r["latency_us"]["p99"].is_null());
  EXPECT_DOUBLE_EQ(r["latency_us"]["p50"].get<double>(), 100.0);
  for (const char* key : {"req", "resp", "arrival", "offered_rps", "achieved_rps", "count",
                          "timeouts", "latency_us", "service_latency_us"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  for (const char* key : {"p50", "p90", "p99", "p999", "p9999", "max"}) {
    EXPECT_TRUE(r["latency_us"].contains(key)) << key;
    EXPECT_TRUE(r["service_latency_us"].contains(key)) << key;
  }
  EXPECT_FALSE(r.contains("ttft_us"));  // not streaming
}

}  // namespace
}  // namespace lp::bench::rpc
