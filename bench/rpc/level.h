// One load level: its schedule on each rank's own steady clock. A sweep runs several levels
// one after another; each starts when every rank has reached it (a bootstrap barrier) and
// times from that moment.
#pragma once

#include "bench/common/tick_clock.h"
#include "bench/rpc/wire.h"

#include <cstdint>

namespace lp::bench::rpc {

// On the TickClock (the invariant TSC where there is one): a client reads it every poll and
// at every answer, and steady_clock::now() costs 20-40 ns, a tenth of a round trip.
class LevelClock {
 public:
  LevelClock() : clock_(TickClock::get()), t0_(clock_.now()) {}
  // Nanoseconds since the level started.
  std::int64_t now() const {
    return static_cast<std::int64_t>(static_cast<double>(clock_.now() - t0_) * clock_.ns_per_tick());
  }

 private:
  const TickClock& clock_;
  std::uint64_t t0_;
};

struct LevelPlan {
  int index = 0;                // 0, 1, ... (tags differ per level)
  double rate = 0;              // open loop: requests per second over all clients
  std::int64_t warmup_ns = 0;   // requests intended before this are not measured
  std::int64_t end_ns = 0;      // no request is intended from here on (warmup + duration)
  std::int64_t timeout_ns = 0;  // a request not answered this long after its intended time
                                // is given up
  // Past this everything stops waiting (an idle or vanished peer cannot hold a rank).
  std::int64_t deadline_ns = 0;
  Tags tags() const { return Tags::for_level(index); }
};

}  // namespace lp::bench::rpc
