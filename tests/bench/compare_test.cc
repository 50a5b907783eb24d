#include "bench/compare/compare.h"
#include "core/atomic_file.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace lp::bench {
namespace {

nlohmann::json p2p_lat(std::size_t size, double p50) {
  return {{"format", "lightpath.result/1"}, {"benchmark", "p2p"}, {"transport", "ucx"},
          {"ranks", 2}, {"mode", "lat"}, {"size", size}, {"pairs", 1},
          {"latency_us", {{"p50", p50}}}};
}
nlohmann::json allreduce(std::size_t size, double busbw) {
  return {{"format", "lightpath.result/1"}, {"benchmark", "allreduce"}, {"transport", "mpi"},
          {"ranks", 4}, {"algo", "ring"}, {"dtype", "f32"}, {"op", "sum"}, {"size", size},
          {"in_place", false}, {"busbw_GBps", busbw}, {"time_us", {{"avg", 10.0}}}};
}

TEST(Compare, IdenticalRunsHaveNoRegression) {
  const std::vector<nlohmann::json> run = {p2p_lat(8, 1.5), p2p_lat(4096, 3.0), allreduce(1 << 20, 5.0)};
  const auto r = compare_results(run, "a", run, "b", 0.05);
  EXPECT_EQ(r.matched.size(), 3u);
  EXPECT_EQ(r.regressions, 0);
  EXPECT_TRUE(r.only_base.empty());
  EXPECT_TRUE(r.only_new.empty());
}

TEST(Compare, FlagsATenPercentRegressionInEitherDirection) {
  const std::vector<nlohmann::json> base = {p2p_lat(8, 1.0), allreduce(1 << 20, 10.0)};
  const std::vector<nlohmann::json> slower = {p2p_lat(8, 1.1), allreduce(1 << 20, 9.0)};
  const auto r = compare_results(base, "a", slower, "b", 0.05);
  ASSERT_EQ(r.matched.size(), 2u);
  EXPECT_EQ(r.regressions, 2);
  for (const auto& c : r.matched) EXPECT_TRUE(c.regression) << c.key;
  // Faster is never a regression, and a change inside the threshold is not either.
  const std::vector<nlohmann::json> faster = {p2p_lat(8, 0.8), allreduce(1 << 20, 9.7)};
  EXPECT_EQ(compare_results(base, "a", faster, "b", 0.05).regressions, 0);
}

TEST(Compare, UnmatchedRecordsAreListed) {
  const auto r = compare_results({p2p_lat(8, 1), p2p_lat(16, 1)}, "a", {p2p_lat(8, 1), p2p_lat(32, 1)}, "b", 0.05);
  EXPECT_EQ(r.matched.size(), 1u);
  ASSERT_EQ(r.only_base.size(), 1u);
  ASSERT_EQ(r.only_new.size(), 1u);
  EXPECT_NE(r.only_base[0].find("size=16"), std::string::npos);
  EXPECT_NE(r.only_new[0].find("size=32"), std::string::npos);
  EXPECT_NE(format_comparison(r, 0.05).find("only in new:  p2p ucx ranks=2 mode=lat size=32"), std::string::npos);
}

TEST(Compare, BadInputNamesFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / ("lp_compare_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "r.jsonl").string();
  write_file_atomic(path, p2p_lat(8, 1).dump() + "\n\n{\"format\": \"other/1\"}\n");
  try {
    read_results(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3"), std::string::npos) << e.what();
  }
  write_file_atomic(path, p2p_lat(8, 1).dump() + "\n" + R"({"format": "lightpath.result/1", "benchmark": "p2p", "size": "big"})" "\n");
  try {
    read_results(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2: size: expected a non-negative integer, found \"big\""),
              std::string::npos) << e.what();
  }
  write_file_atomic(path, R"({"format": "lightpath.result/1", "benchmark": "p2p", "per_pair": [{"ranks": [0]}]})" "\n");
  EXPECT_THROW(read_results(path), InputError);
  write_file_atomic(path, R"({"format": 5, "benchmark": "p2p"})" "\n");
  EXPECT_THROW(read_results(path), InputError);
  write_file_atomic(path, "{truncated\n");
  EXPECT_THROW(read_results(path), InputError);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(headline({{"benchmark", "p2p"}, {"mode", "lat"}}, "x"), InputError);
  EXPECT_THROW(parse_threshold("five"), InputError);
  EXPECT_DOUBLE_EQ(parse_threshold("5%"), 0.05);
}

}  // namespace
}  // namespace lp::bench
