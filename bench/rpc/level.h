// One load level: its schedule on each rank's own steady clock. A sweep runs several levels
// one after another; each starts when every rank has reached it (a bootstrap barrier) and
// times from that moment.
#pragma once

#include "bench/rpc/wire.h"

#include <chrono>
#include <cstdint>

namespace lp::bench::rpc {

class LevelClock {
 public:
  LevelClock() : t0_(std::chrono::steady_clock::now()) {}
  // Nanoseconds since the level started.
  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                t0_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point t0_;
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
