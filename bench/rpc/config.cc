#include "bench/rpc/config.h"

#include "bench/rpc/wire.h"
#include "core/error.h"
#include "core/sizes.h"

#include <algorithm>
#include <cmath>

namespace lp::bench::rpc {
namespace {

std::chrono::nanoseconds positive_duration(const std::string& text, const char* flag) {
  const auto d = parse_duration(text, flag);
  if (d.count() <= 0) throw input_error(flag, fmt::format("'{}': must be longer than 0", text));
  return d;
}

}  // namespace

RpcConfig parse_config(const RpcFlags& f) {
  RpcConfig c;
  if (f.servers < 1) throw input_error("--servers", fmt::format("{}: at least 1", f.servers));
  c.servers = f.servers;
  if (f.balance == "random") {
    c.balance = Balance::kRandom;
  } else if (f.balance == "round-robin") {
    c.balance = Balance::kRoundRobin;
  } else {
    throw input_error("--balance", fmt::format("'{}' is not random or round-robin", f.balance));
  }
  if (f.stream > kMaxTokens) {
    throw input_error("--stream", fmt::format("{} is out of range 1..{}", f.stream, kMaxTokens));
  }
  const std::uint32_t tokens = f.stream == 0 ? 1 : f.stream;
  if (!f.size_dist.empty()) {
    c.sizes = SizeMix::load(f.size_dist, tokens);
    c.size_file = f.size_dist;
  } else {
    c.sizes = SizeMix::fixed(parse_size(f.req, "--req"), parse_size(f.resp, "--resp"), tokens);
  }
  c.service = parse_work_time(f.service_time, "--service-time");
  c.token_time = parse_work_time(f.token_time, "--token-time");
  c.kv = parse_size(f.kv, "--kv");
  if (c.kv > kMaxMessageSize) {
    throw input_error("--kv", fmt::format("{} bytes is more than {}", c.kv, kMaxMessageSize));
  }

  c.arrival.kind = parse_arrival(f.arrival, "--arrival");
  c.arrival.rate = parse_rate(f.rate, "--rate");
  c.arrival.on = positive_duration(f.on, "--on");
  c.arrival.off = parse_duration(f.off, "--off");
  if (f.concurrency < 0) {
    throw input_error("--concurrency", fmt::format("{}: must be positive", f.concurrency));
  }
  c.concurrency = f.concurrency;
  if (c.closed_loop() && f.rate_given) {
    throw input_error("--concurrency",
                      "give either --rate (open loop) or --concurrency (closed "
                      "loop), not both");
  }
  c.duration = positive_duration(f.duration, "--duration");
  c.warmup = parse_duration(f.warmup, "--warmup");
  c.request_timeout = positive_duration(f.request_timeout, "--request-timeout");
  if (f.max_outstanding < 1 || f.max_outstanding > (1 << 24)) {
    throw input_error("--max-outstanding",
                      fmt::format("{} is out of range 1..{}", f.max_outstanding, 1 << 24));
  }
  c.max_outstanding = static_cast<std::uint32_t>(f.max_outstanding);

  if (!f.slo.empty() && !f.slo_p99.empty()) {
    throw input_error("--slo-p99", "give --slo p99=... or --slo-p99, not both");
  }
  if (!f.slo.empty()) c.slo = parse_slo(f.slo, "--slo");
  if (!f.slo_p99.empty()) c.slo = parse_slo("p99=" + f.slo_p99, "--slo-p99");
  c.fail_on_slo = f.fail_on_slo;
  if (c.fail_on_slo && c.slo.empty()) {
    throw input_error("--fail-on-slo", "needs --slo (nothing to fail on)");
  }

  c.sweep = f.sweep;
  if (!(f.sweep_factor > 1.0) || !std::isfinite(f.sweep_factor) || f.sweep_factor > 100) {
    throw input_error("--sweep-factor",
                      fmt::format("{}: must be more than 1 and at most 100", f.sweep_factor));
  }
  c.sweep_factor = f.sweep_factor;
  if (f.sweep_steps < 1 || f.sweep_steps > kMaxLevels) {
    throw input_error("--sweep-steps",
                      fmt::format("{} is out of range 1..{}", f.sweep_steps, kMaxLevels));
  }
  c.sweep_steps = f.sweep_steps;
  if (c.sweep && c.closed_loop()) {
    throw input_error("--sweep",
                      "raises an open-loop --rate; it does not combine with "
                      "--concurrency");
  }

  if (!f.stall.empty()) {
    c.stall = parse_stall(f.stall, "--stall");
    if (c.stall.at >= c.duration) {
      throw input_error("--stall",
                        fmt::format("'{}' starts after the measured --duration ends", f.stall));
    }
  }
  c.seed = f.seed;
  return c;
}

std::size_t RpcConfig::max_message(bool kv_by_put) const {
  // The transport's own region-key exchange sends up to 64 KiB (transport.cc).
  std::size_t m = std::size_t{64} << 10;
  m = std::max({m, sizes.max_req(), sizes.max_resp()});
  if (kv > 0 && !kv_by_put) m = std::max(m, kKvHeaderSize + kv);
  return m;
}

std::string RpcConfig::fingerprint() const {
  return fmt::format(
      "servers={} balance={} sizes={} service={} token_time={} kv={} arrival={} rate={:.17g} "
      "on={} off={} concurrency={} duration={} warmup={} request_timeout={} max_outstanding={} "
      "slo={} sweep={}x{:.17g}x{} stall={} seed={}",
      servers, balance == Balance::kRandom ? "random" : "round-robin", sizes.text(), service.text(),
      token_time.text(), kv, arrival_name(arrival.kind), arrival.rate, arrival.on.count(),
      arrival.off.count(), concurrency, duration.count(), warmup.count(), request_timeout.count(),
      max_outstanding, slo_text(slo), sweep, sweep_factor, sweep_steps, stall.text(), seed);
}

Roles::Roles(const RpcConfig& config, int ranks) : ranks_(ranks), servers_(config.servers) {
  if (servers_ >= ranks_) {
    throw input_error("--servers", fmt::format("{} servers leave no client among {} ranks (the "
                                               "first --servers ranks serve, the rest send)",
                                               servers_, ranks_));
  }
  if (config.kv > 0 && servers_ < 2) {
    throw input_error("--kv",
                      "needs --servers 2 or more (the KV cache moves from the server "
                      "that took the request to the next one)");
  }
  if (config.closed_loop() && config.concurrency < clients()) {
    throw input_error("--concurrency", fmt::format("{} is fewer than the {} clients (each needs "
                                                   "at least one request in flight)",
                                                   config.concurrency, clients()));
  }
}

}  // namespace lp::bench::rpc
