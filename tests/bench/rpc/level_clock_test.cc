// LevelClock: nanoseconds since the level started, on the TickClock.
#include "bench/rpc/level.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace lp::bench::rpc {
namespace {

TEST(LevelClock, CountsNanosecondsFromItsStartAtTheSteadyClocksRate) {
  TickClock::get();  // calibrated first, as a run does before its first level
  const auto start = std::chrono::steady_clock::now();
  const LevelClock clock;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::int64_t level_ns = clock.now();
  const auto steady_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  // At least the sleep, at most what the steady clock saw around it: the TSC's rate is right.
  EXPECT_GE(level_ns, 50'000'000);
  EXPECT_LE(level_ns, steady_ns);
}

TEST(LevelClock, NeverGoesBack) {
  const LevelClock clock;
  std::int64_t last = clock.now();
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t t = clock.now();
    ASSERT_GE(t, last);
    last = t;
  }
}

}  // namespace
}  // namespace lp::bench::rpc
