// The record fields dashboards depend on (DESIGN.md, "Result records") are present with the
// exact names and types.
#include "bench/allreduce/report.h"
#include "bench/train/replay.h"

#include <gtest/gtest.h>

namespace lp::bench {
namespace {

TEST(Records, AllreduceHasTheDesignFields) {
  allreduce::Point p;
  p.algo = "auto";
  p.used = "ring";
  p.why = "model";
  p.bytes = 1 << 20;
  p.count = 1 << 18;
  p.ranks = 4;
  p.timing.stats = {1e-4, 2e-4, 1.5e-4, 3e-4, 4e-4};
  p.check = "pass";
  p.vs_mpi = 1.5;
  const nlohmann::json r = allreduce::to_record(p, {{"format", "lightpath.result/1"}}, {});
  EXPECT_EQ(r["algo"], "auto");
  EXPECT_EQ(r["algo_used"], "ring");
  EXPECT_EQ(r["dtype"], "f32");
  EXPECT_EQ(r["op"], "sum");
  EXPECT_EQ(r["size"], 1 << 20);
  EXPECT_EQ(r["in_place"], false);
  for (const char* k : {"min", "avg", "p50", "p99", "max"}) EXPECT_TRUE(r["time_us"][k].is_number()) << k;
  EXPECT_DOUBLE_EQ(r["time_us"]["avg"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(r["algbw_GBps"].get<double>(), (1 << 20) / 2e-4 / 1e9);
  EXPECT_DOUBLE_EQ(r["busbw_GBps"].get<double>(), (1 << 20) / 2e-4 / 1e9 * 1.5);
  EXPECT_EQ(r["check"], "pass");
  EXPECT_EQ(r["vs_mpi"], 1.5);
  EXPECT_EQ(r["format"], "lightpath.result/1");
}

TEST(Records, TrainHasTheDesignFields) {
  train::TrainResult res;
  res.model = "gpt2";
  res.buckets = 13;
  res.bytes = 497759232;
  res.comm_s = {0.010, 0.020, 0.030};
  res.step_s = {0.05, 0.05, 0.05};
  res.exposed_s = {0.001, 0.002, 0.003};
  res.ranks = 2;
  train::TrainSpec spec;
  spec.algo = "auto";
  spec.compute_ms = 45;
  const nlohmann::json r = train::to_record(res, spec, {{"benchmark", "train"}});
  EXPECT_EQ(r["model"], "gpt2");
  EXPECT_EQ(r["buckets"], 13);
  EXPECT_EQ(r["bytes"], 497759232);
  EXPECT_DOUBLE_EQ(r["step_comm_ms"]["avg"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(r["step_comm_ms"]["p50"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(r["step_comm_ms"]["p99"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(r["exposed_ms"].get<double>(), 2.0);
  EXPECT_EQ(r["bucket"], 25u << 20);  // what run-to-run comparison matches on
  EXPECT_EQ(r["algo"], "auto");
  EXPECT_EQ(r["per_step"].size(), 3u);
}

}  // namespace
}  // namespace lp::bench
