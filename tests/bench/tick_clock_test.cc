#include "bench/common/tick_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace lp::bench {
namespace {

// Both clocks measure the same interval, so a loaded machine moves both the same way.
TEST(TickClock, AgreesWithSteadyClockOverOneInterval) {
  const TickClock& c = TickClock::get();
  EXPECT_GT(c.ns_per_tick(), 0);
  using Steady = std::chrono::steady_clock;
  const auto s0 = Steady::now();
  const std::uint64_t t0 = c.now();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const std::uint64_t t1 = c.now();
  const auto s1 = Steady::now();
  const double steady_ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(s1 - s0).count());
  const double tick_ns = static_cast<double>(c.to_ns(t1 - t0));
  EXPECT_LE(tick_ns, steady_ns * 1.001 + 1000);  // inside the steady interval, give or take
  EXPECT_GE(tick_ns, steady_ns * 0.99 - 1000);
}

TEST(TickClock, ConvertsZeroAndIsMonotonic) {
  const TickClock& c = TickClock::get();
  EXPECT_EQ(c.to_ns(0), 0u);
  std::uint64_t last = c.now();
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t t = c.now();
    ASSERT_GE(t, last);
    last = t;
  }
}

}  // namespace
}  // namespace lp::bench
