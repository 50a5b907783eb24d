// A clock for timing single iterations of a few hundred nanoseconds. steady_clock::now() costs
// 20-40 ns through the vDSO, a noticeable share of a 200 ns round trip; the invariant TSC costs
// a few. Where the CPU has an invariant TSC (x86-64 with constant and nonstop TSC), ticks are
// TSC cycles calibrated once against steady_clock; elsewhere ticks are steady_clock nanoseconds.
// Intervals only: ticks from different machines or processes are not comparable.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace lp::bench {

class TickClock {
 public:
  // Calibrated on first use (about 20 ms), then shared.
  static const TickClock& get();

  std::uint64_t now() const {
#if defined(__x86_64__)
    if (tsc_) return __rdtsc();
#endif
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
  }
  std::uint64_t to_ns(std::uint64_t ticks) const {
    return static_cast<std::uint64_t>(static_cast<double>(ticks) * ns_per_tick_ + 0.5);
  }
  double ns_per_tick() const { return ns_per_tick_; }
  bool uses_tsc() const { return tsc_; }

  // For tests: calibrates against steady_clock over `window`.
  static TickClock calibrate(std::chrono::nanoseconds window);

 private:
  bool tsc_ = false;
  double ns_per_tick_ = 1.0;
};

}  // namespace lp::bench
