#include "bench/allreduce/timing.h"

#include "bench/allreduce/settle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

namespace lp::bench::allreduce {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string pack(const std::vector<double>& v) {
  std::string out(v.size() * sizeof(double), '\0');
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::vector<double> unpack(const std::string& s) {
  std::vector<double> v(s.size() / sizeof(double));
  if (!v.empty()) std::memcpy(v.data(), s.data(), v.size() * sizeof(double));
  return v;
}

// The largest of every rank's value.
double max_over_ranks(transport::Transport& t, double mine) {
  double out = 0;
  for (const std::string& s : settle_and_allgather(t, pack({mine}))) out = std::max(out, unpack(s).at(0));
  return out;
}

}  // namespace

Stats stats_of(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  s.min = v.front();
  s.max = v.back();
  s.avg = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  return s;
}

Timing time_plan(Plan& plan, transport::Transport& t, const TimingOptions& o) {
  t.barrier();
  for (int i = 0; i < o.warmup; ++i) plan.run();
  int iters = o.iters;
  if (iters <= 0) {
    // One call tells how long a call takes (every rank must agree on the counts); then warm
    // up for a tenth of the budget more (caches, pages, the transport's lazy set-up).
    const Clock::time_point c0 = Clock::now();
    plan.run();
    const double one = max_over_ranks(t, seconds_since(c0));
    auto fit = [&](double seconds, int lo) {
      return static_cast<int>(std::clamp<double>(one > 0 ? seconds / one : o.max_iters, lo, o.max_iters));
    };
    for (int i = fit(o.budget_s / 10, 0); i > 0; --i) plan.run();
    iters = fit(o.budget_s, o.min_iters);
  }
  std::vector<double> mine(static_cast<std::size_t>(iters));
  t.barrier();
  for (int i = 0; i < iters; ++i) {
    const Clock::time_point t0 = Clock::now();
    plan.run();
    mine[static_cast<std::size_t>(i)] = seconds_since(t0);
  }
  Timing out;
  out.iters = iters;
  out.slowest.assign(mine.size(), 0.0);
  out.rank_avg_min = INFINITY;
  for (const std::string& blob : settle_and_allgather(t, pack(mine))) {
    const std::vector<double> theirs = unpack(blob);
    for (std::size_t i = 0; i < theirs.size() && i < out.slowest.size(); ++i) {
      out.slowest[i] = std::max(out.slowest[i], theirs[i]);
    }
    const double avg = theirs.empty() ? 0.0
                                      : std::accumulate(theirs.begin(), theirs.end(), 0.0) /
                                            static_cast<double>(theirs.size());
    out.rank_avg_min = std::min(out.rank_avg_min, avg);
    out.rank_avg_max = std::max(out.rank_avg_max, avg);
  }
  out.stats = stats_of(out.slowest);
  return out;
}

}  // namespace lp::bench::allreduce
