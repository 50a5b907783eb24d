// Arrival processes: inter-arrival mean and coefficient of variation against the target.
#include "bench/rpc/arrival.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace lp::bench::rpc {
namespace {

using namespace std::chrono_literals;

struct Moments {
  double mean;
  double cv;
};

Moments gaps(ArrivalProcess& p, int n) {
  double prev = p.next_ns();
  double sum = 0;
  double sq = 0;
  for (int i = 0; i < n; ++i) {
    const double t = p.next_ns();
    const double g = t - prev;
    EXPECT_GE(g, 0);
    sum += g;
    sq += g * g;
    prev = t;
  }
  const double mean = sum / n;
  const double var = sq / n - mean * mean;
  return {mean, std::sqrt(std::max(var, 0.0)) / mean};
}

TEST(Arrival, ConstantIsEvenlySpaced) {
  ArrivalProcess p({Arrival::kConstant, 20000}, 1);
  const Moments m = gaps(p, 100000);
  EXPECT_NEAR(m.mean, 50000, 1e-6);
  EXPECT_LT(m.cv, 1e-6);
}

TEST(Arrival, ConstantClientsInterleaveByPhase) {
  ArrivalProcess a({Arrival::kConstant, 1000}, 1, 0.0);
  ArrivalProcess b({Arrival::kConstant, 1000}, 1, 0.5);
  EXPECT_DOUBLE_EQ(a.next_ns(), 0);
  EXPECT_DOUBLE_EQ(b.next_ns(), 500000);
}

TEST(Arrival, PoissonHasTheRateAndUnitCoefficientOfVariation) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    ArrivalProcess p({Arrival::kPoisson, 50000}, seed);
    const Moments m = gaps(p, 200000);
    EXPECT_NEAR(m.mean, 20000, 20000 * 0.01) << seed;
    EXPECT_NEAR(m.cv, 1.0, 0.02) << seed;
  }
}

TEST(Arrival, OnOffKeepsTheAverageRateAndSendsNothingWhenOff) {
  const ArrivalSpec spec{Arrival::kOnOff, 10000, 10ms, 30ms};
  ArrivalProcess p(spec, 9);
  const int n = 200000;
  double last = 0;
  for (int i = 0; i < n; ++i) {
    last = p.next_ns();
    const double in_cycle = std::fmod(last, 40e6);
    ASSERT_LT(in_cycle, 10e6 + 1e-3) << "arrival at " << last << " falls in an OFF period";
  }
  // n arrivals at 10000/s on average take about n / 10000 seconds.
  EXPECT_NEAR(last / 1e9, n / 10000.0, n / 10000.0 * 0.02);
  ArrivalProcess q(spec, 9);
  EXPECT_GT(gaps(q, n).cv, 1.5);  // bursty: far above Poisson's 1
}

TEST(Arrival, NamesRoundTrip) {
  for (Arrival a : {Arrival::kConstant, Arrival::kPoisson, Arrival::kOnOff}) {
    EXPECT_EQ(parse_arrival(arrival_name(a), "--arrival"), a);
  }
}

}  // namespace
}  // namespace lp::bench::rpc
