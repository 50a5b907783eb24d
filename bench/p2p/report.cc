#include "bench/p2p/report.h"

#include "core/sizes.h"

#include <fmt/format.h>

namespace lp::bench::p2p {
namespace {

double us(double ns) { return ns / 1000.0; }

struct Quantile {
  const char* key;
  double q;
};
constexpr Quantile kQuantiles[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p999", 99.9}};

std::string row(const std::string& label, std::size_t iters, const Histogram& h, double gbps,
                double rate) {
  return fmt::format("{:>12} {:>9} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>10.2f} "
                     "{:>9.3f} {:>9.3f}\n",
                     label, iters, us(h.min()), us(h.mean()), us(h.percentile(50)),
                     us(h.percentile(90)), us(h.percentile(99)), us(h.percentile(99.9)),
                     us(h.max()), gbps, rate / 1e6);
}

double pair_gbps(const PairResult& r) {
  return r.timed_s > 0 ? static_cast<double>(r.bytes) / r.timed_s / 1e9 : 0;
}
double pair_rate(const PairResult& r) {
  return r.timed_s > 0 ? static_cast<double>(r.messages) / r.timed_s : 0;
}

}  // namespace

std::string table_header(Mode mode) {
  const char* what = mode == Mode::kLat ? "one-way latency (round trip / 2)"
                                        : "time per message within a window";
  return fmt::format("# {} in microseconds; bandwidth in GB/s (10^9 bytes/s), all pairs summed\n"
                     "#{:>11} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9}\n",
                     what, "size", "iters", "min", "avg", "p50", "p90", "p99", "p99.9", "max",
                     "GB/s", "Mmsg/s");
}

std::string table_rows(const Point& point, bool per_pair) {
  std::string out = row(format_size(point.size), point.iters, point.merged(),
                        point.bandwidth_GBps(), point.msg_rate());
  if (per_pair && point.pairs.size() > 1) {
    for (const PairPoint& p : point.pairs) {
      out += row(fmt::format("{}<->{}", p.pair.a, p.pair.b), point.iters, p.result.per_message,
                 pair_gbps(p.result), pair_rate(p.result));
    }
  }
  return out;
}

nlohmann::json latency_summary_us(const Histogram& h) {
  nlohmann::json j = {{"min", us(h.min())}, {"avg", us(h.mean())}};
  for (const Quantile& q : kQuantiles) j[q.key] = us(h.percentile(q.q));
  j["max"] = us(h.max());
  return j;
}

nlohmann::json point_record(const nlohmann::json& base, const SweepOptions& o, const Point& point,
                            const std::vector<std::string>& rank_hosts) {
  nlohmann::json r = base;
  const Histogram merged = point.merged();
  r["mode"] = to_string(o.mode);
  r["size"] = point.size;
  r["pairs"] = point.pairs.size();
  r["iters"] = point.iters;
  r["warmup"] = point.warmup;
  if (o.mode != Mode::kLat) r["window"] = o.window;
  if (o.gap_ns > 0) r["gap_us"] = static_cast<double>(o.gap_ns) / 1e3;
  r["latency_us"] = latency_summary_us(merged);
  r["bandwidth_GBps"] = point.bandwidth_GBps();
  r["msg_rate"] = point.msg_rate();
  r["samples"] = merged.count();
  // Percentiles resting on fewer than 10 samples above them are flagged, not hidden.
  nlohmann::json thin = nlohmann::json::array();
  for (const Quantile& q : kQuantiles) {
    if (merged.count() > 0 && merged.samples_above(q.q) < 10) thin.push_back(q.key);
  }
  r["few_samples"] = thin;
  r["check"] = !o.check ? "off" : point.mismatches.empty() ? "pass" : "fail";
  nlohmann::json per_pair = nlohmann::json::array();
  for (const PairPoint& p : point.pairs) {
    per_pair.push_back({{"ranks", {p.pair.a, p.pair.b}},
                        {"hosts", {rank_hosts.at(p.pair.a), rank_hosts.at(p.pair.b)}},
                        {"latency_us", latency_summary_us(p.result.per_message)},
                        {"bandwidth_GBps", pair_gbps(p.result)},
                        {"msg_rate", pair_rate(p.result)}});
  }
  r["per_pair"] = per_pair;
  return r;
}

}  // namespace lp::bench::p2p
