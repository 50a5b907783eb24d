// The concave gain runs add up to min(a, x) + min(b, x) at every whole x, gains decreasing.
#include "ocs/direct_gain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace lp::ocs {
namespace {

TEST(DirectGain, RunsSumToServedDemandAtEveryCount) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 500; ++trial) {
    const double a = (rng() % 1000) / 100.0;  // 0 .. 10 circuits, fractional
    const double b = trial % 7 == 0 ? a : (rng() % 1000) / 100.0;
    const int cap = 1 + static_cast<int>(rng() % 14);
    const std::vector<GainRun> runs = direct_gain_runs(a, b, cap);
    double last = 3;
    int total = 0;
    for (const GainRun& r : runs) {
      EXPECT_GT(r.circuits, 0);
      EXPECT_GT(r.gain, 0);
      EXPECT_LT(r.gain, last) << "gains must strictly decrease between runs";
      last = r.gain;
      total += r.circuits;
    }
    EXPECT_LE(total, cap);
    for (int x = 0; x <= cap; ++x) {
      double served = 0;
      int left = x;
      for (const GainRun& r : runs) {
        const int take = std::min(left, r.circuits);
        served += take * r.gain;
        left -= take;
      }
      EXPECT_NEAR(served, std::min(a, static_cast<double>(x)) + std::min(b, static_cast<double>(x)), 1e-9)
          << "a=" << a << " b=" << b << " x=" << x;
    }
  }
}

TEST(DirectGain, NoDemandNoRuns) { EXPECT_TRUE(direct_gain_runs(0, 0, 8).empty()); }

}  // namespace
}  // namespace lp::ocs
