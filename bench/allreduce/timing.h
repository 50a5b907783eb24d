// Times a plan the way nccl-tests and OSU do: warm-up calls, then back-to-back timed calls,
// each on the steady clock. Per iteration the slowest rank's time counts (the all-reduce is
// done when the last rank has its result); times are gathered through the bootstrap, after
// the timed loop.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "transport/bootstrap.h"

#include <cstddef>
#include <vector>

namespace lp::bench::allreduce {

struct TimingOptions {
  int warmup = 5;              // calls; with iters 0, a tenth of the budget more
  int iters = 0;               // 0: as many as fit in `budget_s`, within [min_iters, max_iters]
  double budget_s = 0.2;
  int min_iters = 5;
  int max_iters = 100000;
};

struct Stats {
  double min = 0, avg = 0, p50 = 0, p99 = 0, max = 0;  // seconds
};

struct Timing {
  std::vector<double> slowest;   // per iteration, the slowest rank's seconds
  Stats stats;                   // over `slowest`
  double rank_avg_min = 0;       // each rank's average over iterations: the fastest rank's
  double rank_avg_max = 0;       // ... and the slowest rank's
  int iters = 0;
};

// p50, p99: the smallest value with at least that share of the samples at or below it.
Stats stats_of(std::vector<double> samples);

// Every rank of `t` calls this with its plan of the same all-reduce. A barrier lines the
// ranks up before the warm-up and before the timed loop.
Timing time_plan(Plan& plan, transport::Transport& t, const TimingOptions& o);

}  // namespace lp::bench::allreduce
