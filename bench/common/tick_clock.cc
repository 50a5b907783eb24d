#include "bench/common/tick_clock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace lp::bench {
namespace {

bool invariant_tsc() {
#if defined(__x86_64__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000u, nullptr)) < 0x80000007u) return false;
  __cpuid(0x80000007u, a, b, c, d);
  return (d & (1u << 8)) != 0;  // "Invariant TSC": constant rate, runs in every C-state
#else
  return false;
#endif
}

}  // namespace

TickClock TickClock::calibrate(std::chrono::nanoseconds window) {
  TickClock c;
  c.tsc_ = invariant_tsc();
  if (!c.tsc_) return c;
  using Steady = std::chrono::steady_clock;
  const auto s0 = Steady::now();
  const std::uint64_t t0 = c.now();
  Steady::time_point s1;
  do {
    s1 = Steady::now();
  } while (s1 - s0 < window);
  const std::uint64_t t1 = c.now();
  const double ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(s1 - s0).count());
  if (t1 <= t0) {
    c.tsc_ = false;  // a TSC that does not advance cannot be trusted
    return c;
  }
  c.ns_per_tick_ = ns / static_cast<double>(t1 - t0);
  return c;
}

const TickClock& TickClock::get() {
  static const TickClock clock = calibrate(std::chrono::milliseconds(20));
  return clock;
}

}  // namespace lp::bench
