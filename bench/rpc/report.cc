#include "bench/rpc/report.h"

#include "core/sizes.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace lp::bench::rpc {
namespace {

struct Quantile {
  const char* key;
  const char* label;
  double q;
};
constexpr std::array<Quantile, 6> kQuantiles = {{{"p50", "p50", 50},
                                                 {"p90", "p90", 90},
                                                 {"p99", "p99", 99},
                                                 {"p999", "p99.9", 99.9},
                                                 {"p9999", "p99.99", 99.99},
                                                 {"max", "max", 100}}};

std::uint64_t rank_of(double q, std::uint64_t n) {
  const auto r = static_cast<std::uint64_t>(std::ceil(q / 100.0 * static_cast<double>(n) - 1e-9));
  return std::max<std::uint64_t>(1, r);
}

nlohmann::json micros(std::optional<std::uint64_t> ns) {
  if (!ns) return nullptr;
  return static_cast<double>(*ns) / 1000.0;
}

nlohmann::json percentiles_json(const Histogram& h, std::uint64_t missing) {
  nlohmann::json out = nlohmann::json::object();
  for (const Quantile& q : kQuantiles) out[q.key] = micros(percentile_or_timeout(h, missing, q.q));
  return out;
}

std::string cell(std::optional<std::uint64_t> ns, bool few) {
  if (!ns) return fmt::format("{:>11}", "timeout");
  return fmt::format("{:>10.2f}{}", static_cast<double>(*ns) / 1000.0, few ? '*' : ' ');
}

std::string table_row(const char* label, const Histogram& h, std::uint64_t missing) {
  std::string row = fmt::format("  {:<22}", label);
  const std::uint64_t total = h.count() + missing;
  for (const Quantile& q : kQuantiles) {
    const bool few = q.q < 100 && total > 0 && few_samples(total, q.q);
    row += cell(total ? percentile_or_timeout(h, missing, q.q) : std::nullopt, few);
  }
  return row + "\n";
}

std::string duration_text(std::int64_t ns) {
  if (ns % 1000000000 == 0) return fmt::format("{} s", ns / 1000000000);
  if (ns % 1000000 == 0) return fmt::format("{} ms", ns / 1000000);
  if (ns % 1000 == 0) return fmt::format("{} us", ns / 1000);
  return fmt::format("{} ns", ns);
}

std::string work_text(const WorkTime& w) {
  switch (w.kind) {
    case WorkTime::Kind::kNone:
      return "none";
    case WorkTime::Kind::kFixed:
      return "fixed " + duration_text(w.mean.count());
    case WorkTime::Kind::kExponential:
      return "exponential, mean " + duration_text(w.mean.count());
  }
  return "?";
}

std::string sizes_text(const RpcConfig& c) {
  if (!c.size_file.empty()) {
    return fmt::format("sizes from {} ({} entries; mean req {:.0f} B, resp {:.0f} B)", c.size_file,
                       c.sizes.entries().size(), c.sizes.mean_req(), c.sizes.mean_resp());
  }
  const SizeEntry& e = c.sizes.entries().front();
  return fmt::format("req {} B, resp {} B x {} message{}", e.req, e.resp, e.tokens,
                     e.tokens == 1 ? "" : "s");
}

}  // namespace

std::optional<std::uint64_t> percentile_or_timeout(const Histogram& h, std::uint64_t missing,
                                                   double q) {
  const std::uint64_t total = h.count() + missing;
  if (total == 0) return std::nullopt;
  const std::uint64_t rank = rank_of(std::clamp(q, 0.0, 100.0), total);
  if (rank > h.count()) return std::nullopt;
  if (rank == h.count()) return h.max();
  // The same rank within the recorded samples alone.
  return h.percentile(100.0 * static_cast<double>(rank) / static_cast<double>(h.count()));
}

bool few_samples(std::uint64_t total, double q) {
  return total - std::min(rank_of(q, total), total) < 10;
}

LevelOutcome summarize(const RpcConfig& config, const LevelPlan& plan,
                       std::unique_ptr<RankResults> merged) {
  LevelOutcome o;
  o.plan = plan;
  o.window_s = static_cast<double>(config.duration.count()) / 1e9;
  const Counters& c = merged->counters;
  o.offered_rps = static_cast<double>(c.offered) / o.window_s;
  o.sent_rps = static_cast<double>(c.sent) / o.window_s;
  o.achieved_rps = static_cast<double>(c.completed) / o.window_s;
  o.kept_up = o.achieved_rps >= 0.99 * o.offered_rps;
  for (const SloBound& b : config.slo) {
    SloVerdict v;
    v.bound = b;
    v.measured_ns = percentile_or_timeout(merged->latency, c.timeouts, b.percentile);
    v.pass = v.measured_ns && static_cast<std::int64_t>(*v.measured_ns) <= b.limit.count();
    o.slo_pass = o.slo_pass && v.pass;
    o.verdicts.push_back(std::move(v));
  }
  o.merged = std::move(merged);
  return o;
}

nlohmann::json level_record(nlohmann::json r, const RpcConfig& config, const Roles& roles,
                            const LevelOutcome& level, const std::string& kv_method) {
  const RankResults& m = *level.merged;
  const Counters& c = m.counters;
  const bool dist = !config.size_file.empty();
  const SizeEntry& first = config.sizes.entries().front();
  r["req"] = dist ? std::llround(config.sizes.mean_req()) : static_cast<long long>(first.req);
  r["resp"] = dist ? std::llround(config.sizes.mean_resp()) : static_cast<long long>(first.resp);
  if (dist) r["size_dist"] = config.size_file;
  r["arrival"] =
      config.closed_loop() ? std::string("closed") : std::string(arrival_name(config.arrival.kind));
  if (config.closed_loop()) {
    r["concurrency"] = config.concurrency;
  } else {
    r["rate_rps"] = level.plan.rate;
  }
  r["offered_rps"] = level.offered_rps;
  r["sent_rps"] = level.sent_rps;
  r["achieved_rps"] = level.achieved_rps;
  r["count"] = c.offered;
  r["answered"] = c.answered;
  r["timeouts"] = c.timeouts;
  r["unanswered"] = c.unanswered;
  r["latency_us"] = percentiles_json(m.latency, c.timeouts);
  r["service_latency_us"] = percentiles_json(m.service, c.timeouts);
  nlohmann::json few = nlohmann::json::array();
  for (const Quantile& q : kQuantiles) {
    if (q.q < 100 && few_samples(c.offered, q.q)) few.push_back(q.key);
  }
  r["few_samples"] = few;
  if (config.streaming()) {
    r["tokens"] = config.sizes.max_tokens();
    r["ttft_us"] = percentiles_json(m.ttft, 0);
    r["itl_us"] = percentiles_json(m.itl, 0);
  }
  if (config.kv > 0) {
    r["kv"] = config.kv;
    r["kv_method"] = kv_method;
    r["kv_us"] = percentiles_json(m.kv, 0);
  }
  r["servers"] = roles.servers();
  r["clients"] = roles.clients();
  r["balance"] = config.balance == Balance::kRandom ? "random" : "round-robin";
  r["service_time"] = config.service.text();
  r["token_time"] = config.token_time.text();
  r["warmup_s"] = static_cast<double>(config.warmup.count()) / 1e9;
  r["duration_s"] = level.window_s;
  r["request_timeout_us"] = static_cast<double>(config.request_timeout.count()) / 1e3;
  r["mismatched"] = c.mismatched;
  r["rejected"] = c.rejected;
  r["dropped_clients"] = c.dropped;
  r["unfinished_clients"] = c.unfinished;
  if (config.stall.enabled()) {
    r["stall"] = {{"length_us", static_cast<double>(config.stall.length.count()) / 1e3},
                  {"at_s", static_cast<double>(config.stall.at.count()) / 1e9}};
  }
  if (!level.verdicts.empty()) {
    nlohmann::json slo = nlohmann::json::array();
    for (const SloVerdict& v : level.verdicts) {
      slo.push_back({{"bound", v.bound.name},
                     {"limit_us", static_cast<double>(v.bound.limit.count()) / 1e3},
                     {"measured_us", micros(v.measured_ns)},
                     {"pass", v.pass}});
    }
    r["slo"] = slo;
    r["slo_pass"] = level.slo_pass;
  }
  if (config.sweep) r["sweep_level"] = level.plan.index;
  return r;
}

std::string run_header(const RpcConfig& c, const Roles& roles, const std::string& transport,
                       const std::string& kv_method) {
  std::string out = fmt::format("# lightpath rpc over {}: {} server{}, {} client{}, balance {}\n",
                                transport, roles.servers(), roles.servers() == 1 ? "" : "s",
                                roles.clients(), roles.clients() == 1 ? "" : "s",
                                c.balance == Balance::kRandom ? "random" : "round-robin");
  out += fmt::format("# {}; service time {}; token time {}", sizes_text(c), work_text(c.service),
                     work_text(c.token_time));
  if (c.kv > 0) out += fmt::format("; kv {} by {}", format_size(c.kv), kv_method);
  out += "\n";
  if (c.closed_loop()) {
    out += fmt::format("# closed loop, {} requests in flight", c.concurrency);
  } else {
    out += fmt::format("# open loop, {} arrivals", arrival_name(c.arrival.kind));
    if (c.arrival.kind == Arrival::kOnOff) {
      out += fmt::format(" ({} on, {} off)", duration_text(c.arrival.on.count()),
                         duration_text(c.arrival.off.count()));
    }
  }
  out +=
      fmt::format("; warmup {}, measured {}, request timeout {}", duration_text(c.warmup.count()),
                  duration_text(c.duration.count()), duration_text(c.request_timeout.count()));
  if (c.stall.enabled()) {
    out += fmt::format("; stall {} at {}", duration_text(c.stall.length.count()),
                       duration_text(c.stall.at.count()));
  }
  return out + "\n";
}

std::string level_table(const RpcConfig& c, const LevelOutcome& level,
                        const std::string& kv_method) {
  const RankResults& m = *level.merged;
  const Counters& n = m.counters;
  std::string out;
  if (c.closed_loop()) {
    out += fmt::format("concurrency {}:", c.concurrency);
  } else {
    out += fmt::format("rate {:.1f} req/s:", level.plan.rate);
  }
  out +=
      fmt::format(" offered {:.1f}  achieved {:.1f}  count {}  timeouts {} (never answered {})\n",
                  level.offered_rps, level.achieved_rps, n.offered, n.timeouts, n.unanswered);
  out += fmt::format("  {:<22}", "latency (us)");
  for (const Quantile& q : kQuantiles) out += fmt::format("{:>10} ", q.label);
  out += "\n";
  out += table_row(c.streaming() ? "from intended, to last" : "from intended send", m.latency,
                   n.timeouts);
  out += table_row("from actual send", m.service, n.timeouts);
  if (c.streaming()) {
    out += table_row("first token", m.ttft, 0);
    out += table_row("between tokens", m.itl, 0);
  }
  if (c.kv > 0) out += table_row(("kv transfer (" + kv_method + ")").c_str(), m.kv, 0);
  out += "  * rests on fewer than 10 samples\n";
  if (n.rejected || n.dropped || n.unfinished || n.mismatched) {
    out += fmt::format(
        "  servers rejected {} malformed messages and dropped {} clients; {} "
        "clients had not finished at the deadline; {} responses did not match "
        "their requests\n",
        n.rejected, n.dropped, n.unfinished, n.mismatched);
  }
  for (const SloVerdict& v : level.verdicts) {
    out += fmt::format("  SLO {} <= {:.3f} us: {} (measured {})\n", v.bound.name,
                       static_cast<double>(v.bound.limit.count()) / 1e3, v.pass ? "pass" : "FAIL",
                       v.measured_ns
                           ? fmt::format("{:.3f} us", static_cast<double>(*v.measured_ns) / 1e3)
                           : std::string("a timeout"));
  }
  if (!level.kept_up) {
    out += fmt::format("  achieved {:.1f} req/s fell short of the offered {:.1f} by more than 1%\n",
                       level.achieved_rps, level.offered_rps);
  }
  return out;
}

}  // namespace lp::bench::rpc
