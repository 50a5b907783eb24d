#include "bench/p2p/cli/p2p_command.h"

#include "bench/common/context.h"
#include "bench/common/progress.h"
#include "bench/p2p/report.h"
#include "bench/p2p/sweep.h"
#include "core/error.h"
#include "core/sizes.h"

#include <chrono>
#include <cstdio>
#include <memory>

namespace lp::bench::p2p {
namespace {

struct Flags {
  CommonOptions common;
  std::string mode = "lat";
  std::string sizes = "1:4M";
  std::size_t iters = 0;
  std::size_t warmup = 0;
  std::string duration;
  std::size_t window = 64;
  bool check = false;
  bool per_pair = false;
};

SweepOptions sweep_options(const Flags& f, int ranks) {
  SweepOptions o;
  o.mode = parse_mode(f.mode);
  o.sizes = parse_size_range(f.sizes, "--sizes");
  if (f.iters > 0) o.iters = f.iters;
  if (f.warmup > 0) o.warmup = f.warmup;
  if (!f.duration.empty()) {
    if (f.iters > 0) throw InputError("--duration and --iters: give one or the other");
    o.duration = parse_duration(f.duration, "--duration");
    if (o.duration->count() <= 0) throw input_error("--duration", "must be positive");
  }
  o.window = f.window;
  o.check = f.check;
  if (ranks < 2) throw InputError("p2p needs at least 2 ranks (e.g. mpirun -np 2)");
  o.schedule = halves_schedule(ranks);
  return o;
}

// The options in canonical form, so ranks started with different arguments are caught.
std::string fingerprint(const Flags& f) {
  return fmt::format("mode={} sizes={} iters={} warmup={} duration={} window={} check={}", f.mode,
                     f.sizes, f.iters, f.warmup, f.duration, f.window, f.check);
}

int run(const Flags& f) {
  // Flags are checked before launching, so a typo fails at once on every rank.
  (void)sweep_options(f, 2);
  Context ctx(f.common, "p2p", fingerprint(f));
  return run_guarded([&] {
    const SweepOptions o = sweep_options(f, ctx.size());
    const bool root = ctx.rank() == 0;
    if (root) {
      std::printf("# lightpath p2p: mode %s, transport %s, %d ranks on %zu host(s), %zu pair(s)\n",
                  f.mode.c_str(), ctx.transport().name().c_str(), ctx.size(), ctx.hosts().size(),
                  o.schedule.front().size());
      if (ctx.size() % 2 == 1) {
        std::printf("# note: odd rank count, rank %d has no partner and sits out\n", ctx.size() - 1);
      }
      std::printf("%s", table_header(o.mode).c_str());
      std::fflush(stdout);
    }
    Progress progress = Progress::for_rank("p2p " + f.mode, o.sizes.size(), ctx.rank());
    const auto t0 = std::chrono::steady_clock::now();
    const auto points = run_sweep(ctx.transport(), o, [&](const Point& p) {
      if (root) {
        std::printf("%s", table_rows(p, f.per_pair).c_str());
        std::fflush(stdout);
      }
      progress.step("size " + format_size(p.size));
    });
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.write_traffic(elapsed);
    std::vector<std::string> failures;
    std::vector<nlohmann::json> records;
    for (const Point& p : points) {
      failures.insert(failures.end(), p.mismatches.begin(), p.mismatches.end());
      if (root) records.push_back(point_record(ctx.record_base(), o, p, ctx.rank_hosts()));
    }
    ctx.emit(records);
    for (const std::string& m : failures) std::fprintf(stderr, "lightpath: check failed: %s\n", m.c_str());
    // Rank 0 saw every failure; tell the others so every rank exits the same way.
    const auto verdicts = ctx.bootstrap().allgather(failures.empty() ? "ok" : "fail");
    return verdicts.front() == "ok" ? kExitOk : kExitFailure;
  });
}

}  // namespace

cli::Command p2p_command() {
  return {"p2p", "point-to-point latency and bandwidth between pairs of ranks",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            add_common_options(app, f->common);
            app.add_option("--mode", f->mode, "lat (ping-pong), bw (one way, windowed) or bibw")
                ->capture_default_str();
            app.add_option("--sizes", f->sizes, "MIN:MAX[:FACTOR] or one size, K/M/G suffixes")
                ->capture_default_str();
            app.add_option("--iters", f->iters, "timed iterations per size (default: by size)");
            app.add_option("--warmup", f->warmup, "untimed iterations first (default: iters/10)");
            app.add_option("--duration", f->duration, "run each size about this long, e.g. 2s");
            app.add_option("--window", f->window, "bw, bibw: messages in flight per iteration")
                ->capture_default_str()
                ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
            app.add_flag("--check", f->check, "validate every payload byte");
            app.add_flag("--per-pair", f->per_pair, "print a row per pair under each size");
            return [f] { return run(*f); };
          }};
}

}  // namespace lp::bench::p2p
