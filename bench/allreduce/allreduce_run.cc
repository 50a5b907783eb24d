#include "bench/allreduce/allreduce_run.h"

#include "bench/allreduce/check.h"
#include "bench/allreduce/cost_model.h"
#include "bench/allreduce/mpi_baseline.h"
#include "bench/allreduce/report.h"
#include "bench/allreduce/selector.h"
#include "bench/allreduce/settle.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/sizes.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

namespace lp::bench::allreduce {
namespace {

constexpr std::uint64_t kSeed = 0x6c69676874;

bool wants(const AllreduceSpec& spec, std::string_view algo) {
  return std::find(spec.algos.begin(), spec.algos.end(), algo) != spec.algos.end();
}

void say(const Context& ctx, const std::string& line) {
  if (ctx.rank() != 0) return;
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// What every rank reads from the file: rank 0's copy, so all decide alike.
std::optional<TuningTable> shared_table(Context& ctx, const std::string& path) {
  if (path.empty()) return std::nullopt;
  std::string text;
  std::string error;
  if (ctx.rank() == 0) {
    try {
      text = read_file(path);
    } catch (const InputError& e) {
      error = e.what();
    }
  }
  const std::vector<std::string> all = ctx.bootstrap().allgather(error.empty() ? "+" + text : "-" + error);
  const std::string& got = all.at(0);
  if (got[0] == '-') throw InputError(got.substr(1));
  return parse_tuning_table(got.substr(1), path);
}

// Gathers every rank's check verdict; rank 0 prints the failures. True when all passed.
bool gather_check(Context& ctx, const std::optional<Mismatch>& bad, std::size_t count,
                  const std::string& what) {
  const std::string mine =
      bad ? fmt::format("rank {}: {}: index {}: expected {}, got {} ({} of {} elements wrong)",
                        ctx.rank(), what, bad->index, bad->expected, bad->actual, bad->wrong, count)
          : "";
  bool ok = true;
  for (const std::string& line : settle_and_allgather(ctx.transport(), mine)) {
    if (line.empty()) continue;
    ok = false;
    if (ctx.rank() == 0) std::fprintf(stderr, "lightpath: check failed: %s\n", line.c_str());
  }
  return ok;
}

struct Runner {
  Context& ctx;
  const AllreduceSpec& spec;
  Group world;
  Setup setup;
  Shape shape;
  // In transport memory, so peers can put straight into them (Transport::allocate_memory).
  std::unique_ptr<transport::MemoryRegion> send;
  std::unique_ptr<transport::MemoryRegion> recv;
  std::optional<TuningTable> table;
  bool failed = false;

  Runner(Context& c, const AllreduceSpec& s)
      : ctx(c), spec(s), world(Group::world(c.transport())),
        setup{&world, host_indices(c.rank_hosts()), s.pipeline} {
    shape = shape_of(setup);
    const std::size_t largest = *std::max_element(s.sizes.begin(), s.sizes.end());
    send = c.transport().allocate_memory(largest);
    const bool out_of_place = std::find(s.placements.begin(), s.placements.end(), false) != s.placements.end();
    if (out_of_place) recv = c.transport().allocate_memory(largest);
  }

  // The plan for `algo` ("auto" resolved through `selector`), with what ran and why.
  std::unique_ptr<Plan> prepare(const std::string& algo, const Job& job, const Selector* selector,
                                Point& point) {
    point.algo = algo;
    if (algo == kMpiName) {
      point.used = algo;
      return prepare_mpi_baseline(job);
    }
    const Algorithm* a = nullptr;
    if (algo == "auto") {
      const Choice c = selector->choose(shape, job.red, job.bytes(), spec.pipeline);
      a = c.algo;
      point.why = c.why;
    } else {
      a = &find_algorithm(algo);
    }
    std::unique_ptr<Plan> plan = a->prepare(setup, job);
    point.used = std::string(a->name);
    point.transfer = std::string(plan->transfer());
    return plan;
  }

  // One point: check (when asked), time, check again (out of place: the inputs are intact).
  Point measure(const std::string& algo, const Job& job, const Selector* selector) {
    Point point;
    point.dtype = job.red.dtype;
    point.op = job.red.op;
    point.count = job.count;
    point.bytes = job.bytes();
    point.in_place = job.in_place();
    point.ranks = ctx.size();
    std::unique_ptr<Plan> plan = prepare(algo, job, selector, point);
    const Seeding seeding{job.red.dtype, job.red.op, ctx.size(), kSeed + job.count};
    if (spec.check) {
      fill_input(seeding, ctx.rank(), send->data(), job.count);
      plan->run();
      point.check = gather_check(ctx, verify_result(seeding, job.recv, job.count), job.count,
                                 fmt::format("{} {} {} {}", point.used, name(job.red.dtype),
                                             name(job.red.op), format_size(job.bytes())))
                        ? "pass"
                        : "fail";
    }
    point.timing = time_plan(*plan, ctx.transport(), spec.timing);
    if (spec.check && !job.in_place() && point.check == "pass") {
      point.check = gather_check(ctx, verify_result(seeding, job.recv, job.count), job.count,
                                 fmt::format("{} {} {} {} after the timed calls", point.used,
                                             name(job.red.dtype), name(job.red.op),
                                             format_size(job.bytes())))
                        ? "pass"
                        : "fail";
    }
    failed = failed || point.check == "fail";
    return point;
  }

  std::optional<Selector> make_selector(const Reduction& red) {
    if (!wants(spec, "auto")) return std::nullopt;
    bool covered = table.has_value();
    if (covered) {
      for (std::size_t s : spec.sizes) {
        covered = covered && lookup(*table, shape.ranks, shape.hosts, red.dtype, red.op, s).has_value();
      }
    }
    std::optional<Network> net;
    if (!covered) {
      net = measure_network(ctx.transport(), setup.host_of, red);
      say(ctx, "# auto: alpha-beta model measured at start-up: " + describe(*net, shape.hosts > 1));
    } else {
      say(ctx, "# auto: rules from " + spec.tuning_file);
    }
    return Selector(table, net);
  }

  Job job_for(std::size_t bytes, const Reduction& red, bool in_place) const {
    const std::size_t count = bytes / red.elem;
    const transport::MemoryRegion& out = in_place ? *send : *recv;
    return Job{send->data(), out.data(), count, red, send.get(), &out};
  }

  // Sizes in whole elements, each once.
  std::vector<std::size_t> element_sizes(const Reduction& red) const {
    std::vector<std::size_t> out;
    for (std::size_t s : spec.sizes) {
      const std::size_t bytes = s / red.elem * red.elem;
      if (out.empty() || out.back() != bytes) out.push_back(bytes);
    }
    return out;
  }

  void benchmark() {
    for (const auto& [dtype, op] : spec.pairs) {
      const Reduction red = Reduction::make(dtype, op);
      const std::optional<Selector> selector = make_selector(red);
      for (bool in_place : spec.placements) {
        if (!spec.check) fill_input({dtype, op, ctx.size(), kSeed}, ctx.rank(), send->data(),
                                    send->size() / red.elem);
        say(ctx, fmt::format("# {} {}, {}", name(dtype), name(op), in_place ? "in place" : "out of place"));
        say(ctx, table_header(spec.compare_mpi));
        std::vector<nlohmann::json> records;
        for (std::size_t bytes : element_sizes(red)) {
          const Job job = job_for(bytes, red, in_place);
          std::optional<double> mpi_time;
          for (const std::string& algo : spec.algos) {
            Point p = measure(algo, job, selector ? &*selector : nullptr);
            if (spec.compare_mpi && algo != kMpiName) {
              if (!mpi_time) {
                Point m = measure(std::string(kMpiName), job, nullptr);
                mpi_time = m.timing.stats.avg;
                if (!wants(spec, kMpiName)) {
                  say(ctx, table_row(m, true));
                  records.push_back(to_record(m, ctx.record_base(), spec.pipeline));
                }
              }
              if (p.timing.stats.avg > 0) p.vs_mpi = *mpi_time / p.timing.stats.avg;
            }
            say(ctx, table_row(p, spec.compare_mpi));
            records.push_back(to_record(p, ctx.record_base(), spec.pipeline));
          }
        }
        ctx.emit(records);
      }
    }
  }

  // Times every algorithm at every size and keeps the fastest, as rules.
  void tune() {
    TuningTable fresh;
    fresh.transport = ctx.transport().name();
    for (const auto& [dtype, op] : spec.pairs) {
      const Reduction red = Reduction::make(dtype, op);
      const bool in_place = spec.placements.front();
      std::vector<const Algorithm*> candidates;
      std::string header = fmt::format("# tune {} {}: {:>10}", name(dtype), name(op), "size");
      for (const Algorithm& a : algorithms()) {
        if (a.name == "hier" && (shape.hosts == 1 || shape.max_local == 1)) continue;
        candidates.push_back(&a);
        header += fmt::format(" {:>12}", std::string(a.name) + "_p50");
      }
      say(ctx, header + "  fastest");
      std::vector<nlohmann::json> records;
      std::vector<TuningRule> rules;
      for (std::size_t bytes : element_sizes(red)) {
        const Job job = job_for(bytes, red, in_place);
        std::string line = fmt::format("# tune {} {}: {:>10}", name(dtype), name(op), format_size(bytes));
        const Algorithm* best = nullptr;
        double best_time = 0;
        for (const Algorithm* a : candidates) {
          const Point p = measure(std::string(a->name), job, nullptr);
          records.push_back(to_record(p, ctx.record_base(), spec.pipeline));
          // The median: one preempted call must not decide (the average would let it).
          line += fmt::format(" {:>12.2f}", p.timing.stats.p50 * 1e6);
          if (best == nullptr || p.timing.stats.p50 < best_time) {
            best = a;
            best_time = p.timing.stats.p50;
          }
        }
        say(ctx, line + "  " + std::string(best->name));
        if (!rules.empty() && rules.back().algo == best->name) {
          rules.back().max_size = bytes;
        } else {
          rules.push_back({shape.ranks, shape.hosts, dtype, op, bytes, std::string(best->name)});
        }
      }
      ctx.emit(records);
      fresh.rules.insert(fresh.rules.end(), rules.begin(), rules.end());
    }
    if (ctx.rank() != 0) return;
    TuningTable out = fresh;
    if (std::filesystem::exists(spec.tune_out)) out = merge(read_tuning_table(spec.tune_out), fresh);
    write_file_atomic(spec.tune_out, to_json(out));
    say(ctx, fmt::format("# tuning table written to {} ({} rules)", spec.tune_out, out.rules.size()));
  }
};

}  // namespace

std::vector<int> host_indices(const std::vector<std::string>& rank_hosts) {
  std::vector<std::string> seen;
  std::vector<int> out;
  for (const std::string& h : rank_hosts) {
    auto it = std::find(seen.begin(), seen.end(), h);
    if (it == seen.end()) it = seen.insert(seen.end(), h);
    out.push_back(static_cast<int>(it - seen.begin()));
  }
  return out;
}

std::string fingerprint(const AllreduceSpec& s) {
  std::string out = "algos";
  for (const auto& a : s.algos) out += " " + a;
  out += " sizes";
  for (std::size_t v : s.sizes) out += " " + std::to_string(v);
  out += " pairs";
  for (const auto& [d, o] : s.pairs) out += fmt::format(" {}/{}", name(d), name(o));
  out += " placements";
  for (bool b : s.placements) out += b ? " in" : " out";
  out += fmt::format(" check {} compare {} warmup {} iters {} budget {} chunk {} window {} "
                     "tuning {} tune {}",
                     s.check, s.compare_mpi, s.timing.warmup, s.timing.iters, s.timing.budget_s,
                     s.pipeline.chunk_bytes, s.pipeline.window, s.tuning_file, s.tune_out);
  return out;
}

void validate(const AllreduceSpec& s) {
  if (s.sizes.empty()) throw InputError("--sizes: no sizes");
  if (s.pipeline.chunk_bytes == 0) throw InputError("--chunk: must be at least one byte");
  if (s.pipeline.window < 1) throw InputError("--window: must be at least 1");
  for (const std::string& a : s.algos) {
    if (a != "auto" && a != kMpiName) find_algorithm(a);
  }
  if (!s.tune_out.empty() && s.compare_mpi) {
    throw InputError("--tune: measures lightpath's own algorithms; drop --compare");
  }
  if (wants(s, kMpiName) || s.compare_mpi) {
    for (const auto& [d, o] : s.pairs) check_mpi_types(d, o);
  }
}

int run_allreduce(Context& ctx, const AllreduceSpec& spec) {
  validate(spec);
  if (wants(spec, kMpiName) || spec.compare_mpi) check_mpi_launcher(ctx.bootstrap().kind());
  Runner run(ctx, spec);
  run.table = shared_table(ctx, spec.tuning_file);
  say(ctx, fmt::format("# lightpath allreduce: {} ranks on {} host{} over {}, kernels {}, chunk "
                       "{}, window {}",
                       ctx.size(), run.shape.hosts, run.shape.hosts == 1 ? "" : "s",
                       ctx.transport().name(), name(best_isa()),
                       format_size(spec.pipeline.chunk_bytes), spec.pipeline.window));
  const auto t0 = std::chrono::steady_clock::now();
  if (!spec.tune_out.empty()) {
    run.tune();
  } else {
    run.benchmark();
  }
  ctx.write_traffic(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return run.failed ? kExitFailure : kExitOk;
}

}  // namespace lp::bench::allreduce
