#include "bench/rpc/cli/rpc_command.h"

#include "bench/common/context.h"
#include "bench/rpc/run.h"
#include "core/error.h"

#include <cstdio>
#include <memory>

namespace lp::bench::rpc {
namespace {

void add_rpc_options(CLI::App& app, RpcFlags& f) {
  app.add_option("--servers", f.servers, "the first N ranks serve, the others send requests")
      ->capture_default_str();
  app.add_option("--balance", f.balance, "how clients spread requests: random or round-robin")
      ->capture_default_str();
  auto* req =
      app.add_option("--req", f.req, "request size (bytes, e.g. 64, 4K)")->capture_default_str();
  auto* resp =
      app.add_option("--resp", f.resp, "response size, of each token message with --stream")
          ->capture_default_str();
  app.add_option("--size-dist", f.size_dist,
                 "a lightpath.rpc-sizes/1 file: a weighted mix of request/response sizes")
      ->excludes(req)
      ->excludes(resp);
  app.add_option("--stream", f.stream, "the response is N token messages (TTFT, token gaps)");
  app.add_option("--token-time", f.token_time, "server time between tokens: fixed:D, exp:D or 0")
      ->capture_default_str();
  app.add_option("--kv", f.kv,
                 "KV-cache bytes moved per request to the next server (put where "
                 "the transport can)")
      ->capture_default_str();
  app.add_option("--service-time", f.service_time,
                 "server work per request, one at a time: fixed:D, exp:D or 0")
      ->capture_default_str();
  auto* rate =
      app.add_option("--rate", f.rate, "open loop: requests/s over all clients (50k, 1.5M)")
          ->capture_default_str();
  app.add_option("--arrival", f.arrival, "open-loop arrivals: poisson, constant or onoff")
      ->capture_default_str();
  app.add_option("--on", f.on, "onoff: length of a burst")->capture_default_str();
  app.add_option("--off", f.off, "onoff: length of a pause")->capture_default_str();
  app.add_option("--concurrency", f.concurrency, "closed loop: requests in flight over all clients")
      ->excludes(rate);
  app.add_option("--duration", f.duration, "measured time per load level")->capture_default_str();
  app.add_option("--warmup", f.warmup, "load before measuring, discarded")->capture_default_str();
  app.add_option("--request-timeout", f.request_timeout,
                 "a request not answered this long after its intended send time is a timeout")
      ->capture_default_str();
  app.add_option("--max-outstanding", f.max_outstanding, "requests in flight per client at most")
      ->capture_default_str();
  app.add_option("--slo", f.slo, "latency bounds, e.g. p99=1ms,p999=5ms (from intended send time)");
  app.add_option("--slo-p99", f.slo_p99, "shorthand for --slo p99=DURATION");
  app.add_flag("--fail-on-slo", f.fail_on_slo, "exit 1 when a bound fails");
  app.add_flag("--sweep", f.sweep,
               "raise --rate level by level until the SLO breaks or achieved "
               "falls short of offered; report the highest that held");
  app.add_option("--sweep-factor", f.sweep_factor, "--sweep: each level's rate over the last")
      ->capture_default_str();
  app.add_option("--sweep-steps", f.sweep_steps, "--sweep: at most this many levels")
      ->capture_default_str();
  app.add_option("--stall", f.stall,
                 "fault injection: the first server pauses LENGTH@TIME "
                 "(after warmup), e.g. 50ms@2s");
  app.add_option("--seed", f.seed, "random seed (arrivals, choices, work times)")
      ->capture_default_str();
  app.callback([&f, rate] { f.rate_given = rate->count() > 0; });
}

int run_rpc(const CommonOptions& common, const RpcFlags& flags) {
  // Every flag is checked before any rank starts communicating.
  const RpcConfig config = parse_config(flags);
  CommonOptions opts = common;
  opts.max_message = config.max_message(false);
  opts.one_sided = config.kv > 0;  // only the KV-cache transfer puts
  Leftovers leftovers;  // outlives the Context's transport
  return run_guarded([&] {
    Context ctx(opts, "rpc", config.fingerprint());
    Run run(ctx.transport(), config, leftovers);
    const bool print = ctx.rank() == 0;
    if (print) {
      std::fputs(run_header(config, run.roles(), ctx.transport().name(), run.kv_method()).c_str(),
                 stdout);
      std::fflush(stdout);
    }
    std::vector<nlohmann::json> records;
    const std::vector<LevelOutcome> levels = run.run_all([&](const LevelOutcome& level) {
      records.push_back(
          level_record(ctx.record_base(), config, run.roles(), level, run.kv_method()));
      if (print) {
        std::fputs(level_table(config, level, run.kv_method()).c_str(), stdout);
        std::fflush(stdout);
      }
    });
    if (config.sweep) {
      const double capacity = capacity_rps(levels);
      for (nlohmann::json& r : records) r["sweep_capacity_rps"] = capacity;
      if (print) {
        if (capacity > 0) {
          std::printf(
              "capacity: %.1f req/s was the highest rate that met the SLO with achieved "
              "within 1%% of offered\n",
              capacity);
        } else {
          std::printf("capacity: even the first rate (%.1f req/s) failed\n", config.arrival.rate);
        }
      }
    }
    ctx.emit(records);
    ctx.write_traffic(run.elapsed_s());

    std::uint64_t mismatched = 0;
    for (const LevelOutcome& l : levels) mismatched += l.merged->counters.mismatched;
    if (mismatched > 0) {
      throw Error(
          fmt::format("{} response messages did not match their requests (size, order or "
                      "sender)",
                      mismatched));
    }
    const bool slo_failed = config.sweep ? capacity_rps(levels) == 0 : !levels.front().slo_pass;
    if (config.fail_on_slo && slo_failed) {
      if (print) std::fprintf(stderr, "lightpath: the SLO failed (--fail-on-slo)\n");
      return static_cast<int>(kExitFailure);
    }
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

cli::Command rpc_command() {
  return {"rpc", "inference request latency under open-loop load: tail percentiles, SLO verdicts",
          [](CLI::App& sub) -> cli::Action {
            auto common = std::make_shared<CommonOptions>();
            auto flags = std::make_shared<RpcFlags>();
            add_common_options(sub, *common);
            add_rpc_options(sub, *flags);
            return [common, flags] { return run_rpc(*common, *flags); };
          }};
}

}  // namespace lp::bench::rpc
