#include "bench/summary/summary.h"
#include "core/error.h"

#include <gtest/gtest.h>

namespace lp::bench {
namespace {

using Json = nlohmann::json;

Json pair(int a, int b, const std::string& ha, const std::string& hb, double p99) {
  return {{"ranks", {a, b}}, {"hosts", {ha, hb}}, {"latency_us", {{"p50", p99 / 2}, {"p99", p99}}}};
}

Json p2p(std::vector<Json> pairs, std::vector<std::string> hosts, std::size_t size = 8) {
  return {{"format", "lightpath.result/1"}, {"benchmark", "p2p"}, {"mode", "lat"}, {"size", size},
          {"hosts", hosts}, {"command", "p2p"}, {"started", "t"}, {"per_pair", pairs}};
}

Json rpc(double offered, double achieved, double p99, int timeouts = 0) {
  return {{"format", "lightpath.result/1"}, {"benchmark", "rpc"}, {"transport", "ucx"}, {"req", 64},
          {"resp", 64}, {"hosts", {"a", "b"}}, {"offered_rps", offered}, {"achieved_rps", achieved},
          {"timeouts", timeouts}, {"latency_us", {{"p50", p99 / 3}, {"p99", p99}}}};
}

Json allreduce(const std::string& algo, std::size_t size, double avg_us, double p99_us) {
  return {{"format", "lightpath.result/1"}, {"benchmark", "allreduce"}, {"algo", algo}, {"algo_used", algo},
          {"size", size}, {"hosts", {"a", "b"}}, {"busbw_GBps", 5.0},
          {"time_us", {{"avg", avg_us}, {"p99", p99_us}}}};
}

const Verdict& find(const ClusterSummary& c, const std::string& check) {
  for (const Verdict& v : c.verdicts) {
    if (v.check.rfind(check, 0) == 0) return v;
  }
  ADD_FAILURE() << "no verdict " << check;
  static Verdict none;
  return none;
}

TEST(Summary, LatencyCircleCountsPairsWithinBudget) {
  const std::vector<Json> records = {
      p2p({pair(0, 2, "a", "c", 300), pair(1, 3, "b", "d", 2500)}, {"a", "b", "c", "d"}),
      p2p({pair(0, 2, "a", "c", 9999)}, {"a", "b", "c", "d"}, 4096),  // larger size: not the circle
  };
  const auto clusters = summarize(records, Budgets{});
  ASSERT_EQ(clusters.size(), 1u);
  const Verdict& v = find(clusters[0], "latency circle");
  EXPECT_EQ(v.status, "fail");
  EXPECT_NE(v.detail.find("50.0% of 2 pairs"), std::string::npos) << v.detail;
  EXPECT_NE(v.detail.find("worst b - d at 2.5 ms"), std::string::npos) << v.detail;
  EXPECT_EQ(clusters[0].slowest_pairs.front(), "b - d: p99 2.5 ms (p50 1.25 ms)");
  Budgets loose;
  loose.pair_coverage = 0.5;
  EXPECT_EQ(find(summarize(records, loose)[0], "latency circle").status, "pass");
  EXPECT_TRUE(any_failed(clusters));
}

TEST(Summary, RequestLatencyHoldsUpToTheLastGoodLoad) {
  const std::vector<Json> records = {rpc(1000, 1000, 200), rpc(4000, 3900, 800), rpc(2000, 2000, 400),
                                     rpc(8000, 6000, 30000)};
  const auto clusters = summarize(records, Budgets{});
  const Verdict& v = find(clusters[0], "request latency");
  EXPECT_EQ(v.status, "pass");
  EXPECT_NE(v.detail.find("up to 4000 req/s"), std::string::npos) << v.detail;
  EXPECT_NE(v.detail.find("at 8000 req/s: p99 30 ms"), std::string::npos) << v.detail;
  Budgets tight;
  tight.rpc_p99_us = 100;
  EXPECT_EQ(find(summarize(records, tight)[0], "request latency").status, "fail");
  // Timeouts break the budget whatever the percentiles say.
  EXPECT_EQ(find(summarize({rpc(1000, 1000, 200, 3)}, Budgets{})[0], "request latency").status, "fail");
}

TEST(Summary, AllReduceUsesLightpathsBestAlgorithmNotTheBaseline) {
  const std::vector<Json> records = {allreduce("ring", 65536, 900, 1200), allreduce("rd", 65536, 300, 500),
                                     allreduce("mpi", 65536, 10, 20), allreduce("ring", 32 << 20, 9000, 9500)};
  const auto c = summarize(records, Budgets{})[0];
  const Verdict& small = find(c, "small all-reduce");
  EXPECT_EQ(small.status, "pass");
  EXPECT_NE(small.detail.find("p99 500 us (rd"), std::string::npos) << small.detail;
  const Verdict& bucket = find(c, "all-reduce of a 25M bucket");
  EXPECT_EQ(bucket.status, "info");
  EXPECT_NE(bucket.detail.find("measured at 32M: 9 ms"), std::string::npos) << bucket.detail;
  EXPECT_EQ(find(c, "all-reduce of a 1M bucket").status, "no data");
  Budgets b;
  b.bucket_ms = 5;
  EXPECT_EQ(find(summarize(records, b)[0], "all-reduce of a 25M bucket").status, "fail");
}

TEST(Summary, RecordsOnDisjointHostsAreSeparateClusters) {
  const auto clusters = summarize({p2p({pair(0, 1, "a", "b", 10)}, {"a", "b"}),
                                   p2p({pair(0, 1, "x", "y", 10)}, {"x", "y"}),
                                   rpc(100, 100, 50)},  // hosts a, b: joins the first
                                  Budgets{});
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].records + clusters[1].records, 3u);
  EXPECT_NE(format_summary(clusters, Budgets{}).find("PASS     latency circle"), std::string::npos);
}

TEST(Slo, ParsesAndRejectsEveryProblemAtOnce) {
  const Budgets b = parse_budgets(R"({"format": "lightpath.slo/1", "pair_p99_us": 500, "buckets": [1024],
                                      "bucket_ms": 2})", "s.json");
  EXPECT_EQ(b.pair_p99_us, 500);
  EXPECT_EQ(b.buckets, (std::vector<std::size_t>{1024}));
  EXPECT_EQ(b.bucket_ms, 2.0);
  EXPECT_EQ(b.rpc_p99_us, 10000);  // default kept
  try {
    parse_budgets(R"({"format": "lightpath.slo/2", "pair_p99_us": -1, "pair_coverage": "all", "rcp_p99_us": 1})", "s.json");
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    for (const char* want : {"s.json", "lightpath.slo/2", "pair_p99_us", "pair_coverage", "rcp_p99_us: unknown budget"}) {
      EXPECT_NE(m.find(want), std::string::npos) << want << " in " << m;
    }
  }
  EXPECT_THROW(parse_budgets("{", "s.json"), InputError);
}

}  // namespace
}  // namespace lp::bench
