#include "bench/allreduce/report.h"

#include "core/sizes.h"

#include <fmt/format.h>

namespace lp::bench::allreduce {

double bus_factor(int ranks) { return ranks > 1 ? 2.0 * (ranks - 1) / ranks : 0.0; }

double algbw_GBps(const Point& p) {
  const double t = p.timing.stats.avg;
  return t > 0 ? static_cast<double>(p.bytes) / t / 1e9 : 0.0;
}

double busbw_GBps(const Point& p) { return algbw_GBps(p) * bus_factor(p.ranks); }

std::string table_header(bool compare) {
  std::string h = fmt::format("{:>10} {:>11} {:>12} {:>12} {:>10} {:>10} {:>10} {:>10} {:>10} "
                              "{:>8} {:>8} {:>5}",
                              "size", "count", "algo", "used", "time_us", "min_us", "max_us",
                              "p50_us", "p99_us", "algbw", "busbw", "check");
  if (compare) h += fmt::format(" {:>7}", "vs_mpi");
  return "#" + h.substr(1);
}

std::string table_row(const Point& p, bool compare) {
  const Stats& s = p.timing.stats;
  std::string used = p.used;
  if (p.transfer != "send") used += "+" + p.transfer;
  if (!p.why.empty()) used += "/" + p.why;
  std::string row = fmt::format(
      "{:>10} {:>11} {:>12} {:>12} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>8.2f} "
      "{:>8.2f} {:>5}",
      format_size(p.bytes), p.count, p.algo, used, s.avg * 1e6, p.timing.rank_avg_min * 1e6,
      p.timing.rank_avg_max * 1e6, s.p50 * 1e6, s.p99 * 1e6, algbw_GBps(p), busbw_GBps(p),
      p.check);
  if (compare) row += p.vs_mpi ? fmt::format(" {:>6.2f}x", *p.vs_mpi) : fmt::format(" {:>7}", "-");
  return row;
}

nlohmann::json to_record(const Point& p, nlohmann::json base, const Pipeline& pipeline) {
  const Stats& s = p.timing.stats;
  base["algo"] = p.algo;
  base["algo_used"] = p.used;
  if (!p.why.empty()) base["chosen_by"] = p.why;
  base["transfer"] = p.transfer;
  base["dtype"] = std::string(name(p.dtype));
  base["op"] = std::string(name(p.op));
  base["size"] = p.bytes;
  base["count"] = p.count;
  base["in_place"] = p.in_place;
  base["time_us"] = {{"min", s.min * 1e6}, {"avg", s.avg * 1e6}, {"p50", s.p50 * 1e6},
                     {"p99", s.p99 * 1e6}, {"max", s.max * 1e6}};
  base["rank_avg_us"] = {{"min", p.timing.rank_avg_min * 1e6}, {"max", p.timing.rank_avg_max * 1e6}};
  base["iters"] = p.timing.iters;
  base["algbw_GBps"] = algbw_GBps(p);
  base["busbw_GBps"] = busbw_GBps(p);
  base["check"] = p.check;
  if (p.vs_mpi) base["vs_mpi"] = *p.vs_mpi;
  base["chunk_bytes"] = pipeline.chunk_bytes;
  base["window"] = pipeline.window;
  base["kernels"] = std::string(name(best_isa()));
  return base;
}

}  // namespace lp::bench::allreduce
