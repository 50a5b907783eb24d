#include "bench/p2p/cli/p2p_command.h"

#include "bench/common/context.h"
#include "bench/common/progress.h"
#include "bench/p2p/pair_matrix.h"
#include "bench/p2p/report.h"
#include "core/atomic_file.h"
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
  std::string pairs = "halves";
  std::string matrix_out;
  std::string inject_delay;  // RANK:DURATION, for tests
  std::string gap;
};

// "RANK:DURATION" -> (rank, ns).
std::pair<int, std::uint64_t> parse_delay(const std::string& text) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    const int rank = std::stoi(text.substr(0, colon));
    const auto ns = parse_duration(text.substr(colon + 1), "--inject-delay");
    if (rank < 0 || ns.count() < 0) throw std::invalid_argument("negative");
    return {rank, static_cast<std::uint64_t>(ns.count())};
  } catch (const std::logic_error&) {
    throw input_error("--inject-delay", fmt::format("'{}' is not RANK:DURATION (e.g. 1:20us)", text));
  }
}

SweepOptions sweep_options(const Flags& f, int ranks, int rank, const std::vector<std::string>& rank_hosts) {
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
  if (!f.gap.empty()) {
    if (o.mode != Mode::kLat) throw InputError("--gap is for --mode lat (a pause before each ping)");
    const auto gap = parse_duration(f.gap, "--gap");
    if (gap.count() <= 0) throw input_error("--gap", "must be positive");
    o.gap_ns = static_cast<std::uint64_t>(gap.count());
  }
  if (f.pairs != "halves" && f.pairs != "all") {
    throw input_error("--pairs", fmt::format("'{}' is not a pairing (expected halves or all)", f.pairs));
  }
  if (!f.matrix_out.empty() && f.pairs != "all") throw InputError("--matrix-out needs --pairs all");
  if (!f.inject_delay.empty()) {
    const auto [who, ns] = parse_delay(f.inject_delay);
    if (who == rank) o.delay_ns = ns;
  }
  if (ranks < 2) throw InputError("p2p needs at least 2 ranks (e.g. mpirun -np 2)");
  o.schedule = f.pairs == "all" ? round_robin_schedule(pair_members(rank_hosts).ranks) : halves_schedule(ranks);
  return o;
}

// The options in canonical form, so ranks started with different arguments are caught.
std::string fingerprint(const Flags& f) {
  return fmt::format("mode={} sizes={} iters={} warmup={} duration={} window={} check={} pairs={} delay={} gap={}",
                     f.mode, f.sizes, f.iters, f.warmup, f.duration, f.window, f.check, f.pairs,
                     f.inject_delay, f.gap);
}

int run(const Flags& f) {
  // Flags are checked before launching, so a typo fails at once on every rank.
  (void)sweep_options(f, 2, 0, {"", ""});
  CommonOptions common = f.common;
  common.one_sided = false;  // p2p only sends and receives
  Context ctx(common, "p2p", fingerprint(f));
  return run_guarded([&] {
    const SweepOptions o = sweep_options(f, ctx.size(), ctx.rank(), ctx.rank_hosts());
    const Members members = pair_members(ctx.rank_hosts());
    const bool root = ctx.rank() == 0;
    if (root) {
      std::size_t pairs = 0;
      for (const Round& r : o.schedule) pairs += r.size();
      std::printf("# lightpath p2p: mode %s, transport %s, %d ranks on %zu host(s), %zu pair(s) in %zu round(s)\n",
                  f.mode.c_str(), ctx.transport().name().c_str(), ctx.size(), ctx.hosts().size(), pairs,
                  o.schedule.size());
      if (f.pairs == "all") {
        std::printf("# every pair of %s, in round-robin rounds\n",
                    members.ranks.size() == static_cast<std::size_t>(ctx.size()) && ctx.hosts().size() == 1
                        ? "ranks (all on one host)" : "hosts (first rank of each)");
      } else if (ctx.size() % 2 == 1) {
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
    nlohmann::json matrices = nlohmann::json::array();
    for (const Point& p : points) {
      failures.insert(failures.end(), p.mismatches.begin(), p.mismatches.end());
      if (!root) continue;
      records.push_back(point_record(ctx.record_base(), o, p, ctx.rank_hosts()));
      records.back()["pair_schedule"] = f.pairs;
      if (f.pairs == "all") {
        const PairMatrix m = pair_matrix(p, members);
        const auto slow = slowest_pairs(m);
        std::printf("%s", format_pair_matrix(m).c_str());
        matrices.push_back(to_json(m, slow, suspects(m, slow)));
      }
    }
    if (root && !f.matrix_out.empty()) {
      write_file_atomic(f.matrix_out, (matrices.size() == 1 ? matrices[0] : matrices).dump(1) + "\n");
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
            app.add_option("--pairs", f->pairs,
                           "halves (rank i with i+n/2, all at once) or all (every pair of hosts, in "
                           "round-robin rounds, with a latency matrix)")
                ->capture_default_str();
            app.add_option("--matrix-out", f->matrix_out, "with --pairs all: write the latency matrix to FILE");
            app.add_option("--gap", f->gap,
                           "lat: idle DURATION before each ping, outside the timing (isolated "
                           "messages, as at low load), e.g. 100us");
            app.add_option("--inject-delay", f->inject_delay, "tests: RANK:DURATION spun before each reply")
                ->group("");
            return [f] { return run(*f); };
          }};
}

}  // namespace lp::bench::p2p
