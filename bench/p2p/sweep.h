// The `lightpath p2p` driver: for every size, every round of the pair schedule runs its pairs
// at once; each pair's measurements are gathered to rank 0 through the bootstrap (outside the
// timed loops).
#pragma once

#include "bench/p2p/exchange.h"
#include "bench/p2p/pairing.h"
#include "transport/transport.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench::p2p {

struct SweepOptions {
  Mode mode = Mode::kLat;
  std::vector<std::size_t> sizes;
  std::optional<std::size_t> iters;   // unset: default_iters() per size
  std::optional<std::size_t> warmup;  // unset: default_warmup()
  // Instead of an iteration count: run each point about this long (after a warmup that
  // measures the time per iteration; every rank then runs the same count).
  std::optional<std::chrono::nanoseconds> duration;
  std::size_t window = 64;
  bool check = false;
  std::vector<Round> schedule;
  std::uint64_t delay_ns = 0;  // PointSpec::delay_ns for this rank
  std::uint64_t gap_ns = 0;    // PointSpec::gap_ns
};

struct PairPoint {
  Pair pair;
  PairResult result;
};

// One size: what every pair measured (rank 0 only; other ranks get the sizes and counts).
struct Point {
  std::size_t size = 0;
  std::size_t iters = 0;
  std::size_t warmup = 0;
  std::vector<PairPoint> pairs;
  std::vector<std::string> mismatches;  // --check failures from any rank

  Histogram merged() const;             // every pair's per-message times together
  double bandwidth_GBps() const;        // the pairs' bandwidths summed (10^9 bytes/s)
  double msg_rate() const;              // the pairs' message rates summed
};

// Runs the sweep; calls `on_point` on every rank after each size (rank 0 has the pairs).
std::vector<Point> run_sweep(transport::Transport& t, const SweepOptions& options,
                             const std::function<void(const Point&)>& on_point);

// PairResult as text for the bootstrap, and back (throws lp::Error on malformed input).
std::string encode(const Pair& pair, const PairResult& r);
PairPoint decode_pair_point(const std::string& text);

}  // namespace lp::bench::p2p
