#include "bench/common/metrics.h"
#include "bench/common/progress.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace lp::bench {
namespace {

// The text exposition format, line by line: HELP and TYPE comments, then samples
// NAME{LABEL="VALUE",...} NUMBER.
void expect_exposition_format(const std::string& text) {
  const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  const std::regex type(R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|summary|histogram|untyped))");
  const std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\} [-+0-9.eE]+|[-+]?Inf|NaN)");
  std::istringstream in(text);
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# HELP", 0) == 0) {
      EXPECT_TRUE(std::regex_match(line, help)) << line;
    } else if (line.rfind("# TYPE", 0) == 0) {
      EXPECT_TRUE(std::regex_match(line, type)) << line;
    } else {
      EXPECT_TRUE(std::regex_match(line, sample)) << line;
      ++samples;
    }
  }
  EXPECT_GT(samples, 0);
}

TEST(Metrics, EveryBenchmarkBecomesGaugesInBaseUnits) {
  const std::vector<nlohmann::json> records = {
      {{"benchmark", "p2p"}, {"transport", "ucx"}, {"ranks", 2}, {"hosts", {"a", "b\"x"}},
       {"mode", "lat"}, {"size", 8}, {"pairs", 1},
       {"latency_us", {{"p50", 1.5}, {"p99", 3.0}}}, {"bandwidth_GBps", 0.5}},
      {{"benchmark", "allreduce"}, {"transport", "ucx"}, {"ranks", 4}, {"algo", "auto"},
       {"algo_used", "ring"}, {"dtype", "f32"}, {"op", "sum"}, {"size", 1048576}, {"in_place", false},
       {"time_us", {{"p50", 100.0}, {"p99", 120.0}}}, {"busbw_GBps", 7.5}, {"check", "pass"}},
      {{"benchmark", "rpc"}, {"transport", "tcp"}, {"req", 64}, {"resp", 64}, {"arrival", "poisson"},
       {"offered_rps", 1000}, {"achieved_rps", 999.5}, {"timeouts", 0},
       {"latency_us", {{"p50", 20.0}, {"p9999", 900.0}}}},
      {{"benchmark", "train"}, {"transport", "ucx"}, {"model", "gpt2"},
       {"step_comm_ms", {{"avg", 12.0}}}, {"exposed_ms", 3.0}}};
  const std::string text = prometheus_text(records);
  expect_exposition_format(text);
  EXPECT_NE(text.find("lightpath_p2p_latency_seconds{transport=\"ucx\",ranks=\"2\",hosts=\"a,b\\\"x\","
                      "mode=\"lat\",size=\"8\",pairs=\"1\",quantile=\"0.5\"} 1.5e-06"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lightpath_allreduce_busbw_bytes_per_second{"), std::string::npos);
  EXPECT_NE(text.find("algo_used=\"ring\""), std::string::npos);
  EXPECT_NE(text.find("} 7.5e+09"), std::string::npos);
  EXPECT_NE(text.find("lightpath_rpc_latency_seconds{"), std::string::npos);
  EXPECT_NE(text.find("quantile=\"0.9999\"} 0.0009"), std::string::npos);
  EXPECT_NE(text.find("lightpath_train_step_comm_seconds{transport=\"ucx\",model=\"gpt2\"} 0.012"), std::string::npos);
  // One HELP and one TYPE per family, even with several samples.
  EXPECT_EQ(text.find("# TYPE lightpath_p2p_latency_seconds"), text.rfind("# TYPE lightpath_p2p_latency_seconds"));
}

TEST(Metrics, EscapesLabelValues) {
  EXPECT_EQ(escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(prometheus_text({}), "");
}

TEST(Progress, LineShowsDoneElapsedAndEstimate) {
  EXPECT_EQ(Progress::line("p2p lat", "size 4K", 3, 12, 6.0), "p2p lat: size 4K (3/12), 6.0 s, about 18.0 s left");
  EXPECT_EQ(Progress::line("p2p lat", "size 4M", 12, 12, 30.0), "p2p lat: size 4M (12/12), 30.0 s");
}

}  // namespace
}  // namespace lp::bench
