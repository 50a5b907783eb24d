#include "bench/train/replay.h"

#include "bench/allreduce/allreduce_run.h"
#include "bench/allreduce/check.h"
#include "bench/allreduce/cost_model.h"
#include "bench/allreduce/mpi_baseline.h"
#include "bench/allreduce/report.h"
#include "bench/allreduce/selector.h"
#include "bench/allreduce/settle.h"
#include "bench/allreduce/timing.h"
#include "bench/allreduce/tuning_table.h"
#include "bench/train/buckets.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/sizes.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

namespace lp::bench::train {
namespace {

using Clock = std::chrono::steady_clock;
using namespace allreduce;

void say(const Context& ctx, const std::string& line) {
  if (ctx.rank() != 0) return;
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

struct PreparedBucket {
  Bucket bucket;
  std::string algo;  // what runs
  std::unique_ptr<Plan> plan;
  double ready_s = 0;  // when backward has produced its last gradient, from the step start
};

struct StepTimes {
  double comm_s = 0;     // sum of the buckets' all-reduce times
  double step_s = 0;     // from the step start to the last all-reduce's end
  double exposed_s = 0;  // step_s past the compute (all of comm_s without --compute-ms)
};

std::vector<double> gather_max(Context& ctx, const std::vector<double>& mine) {
  std::string blob(mine.size() * sizeof(double), '\0');
  if (!mine.empty()) std::memcpy(blob.data(), mine.data(), blob.size());
  std::vector<double> out(mine.size(), 0.0);
  for (const std::string& b : settle_and_allgather(ctx.transport(), blob)) {
    for (std::size_t i = 0; i < out.size() && (i + 1) * sizeof(double) <= b.size(); ++i) {
      double v;
      std::memcpy(&v, b.data() + i * sizeof(double), sizeof v);
      out[i] = std::max(out[i], v);
    }
  }
  return out;
}

Model with_dtype(Model m, const std::optional<Dtype>& d) {
  if (d) {
    for (Tensor& t : m.tensors) t.dtype = *d;
  }
  return m;
}

}  // namespace

nlohmann::json to_record(const TrainResult& res, const TrainSpec& spec, nlohmann::json r) {
  const Stats cs = stats_of(res.comm_s);
  const Stats es = stats_of(res.exposed_s);
  const double algbw = cs.avg > 0 ? static_cast<double>(res.bytes) / cs.avg / 1e9 : 0.0;
  r["model"] = res.model;
  r["model_source"] = spec.model_arg;
  r["parameters"] = res.parameters;
  r["buckets"] = res.buckets;
  r["bucket"] = spec.bucket_bytes;
  r["first_bucket"] = spec.first_bucket_bytes;
  r["bytes"] = res.bytes;
  r["algo"] = spec.algo;
  r["algo_used"] = res.algo_used;
  r["steps"] = res.comm_s.size();
  r["step_comm_ms"] = {{"avg", cs.avg * 1e3}, {"p50", cs.p50 * 1e3}, {"p99", cs.p99 * 1e3}};
  r["exposed_ms"] = es.avg * 1e3;
  if (spec.compute_ms) r["compute_ms"] = *spec.compute_ms;
  r["algbw_GBps"] = algbw;
  r["busbw_GBps"] = algbw * bus_factor(res.ranks);
  r["check"] = res.check;
  nlohmann::json per_step = nlohmann::json::array();
  for (std::size_t i = 0; i < res.comm_s.size(); ++i) {
    per_step.push_back({{"comm_ms", res.comm_s[i] * 1e3},
                        {"step_ms", i < res.step_s.size() ? res.step_s[i] * 1e3 : 0.0},
                        {"exposed_ms", i < res.exposed_s.size() ? res.exposed_s[i] * 1e3 : 0.0}});
  }
  r["per_step"] = per_step;
  return r;
}

std::string fingerprint(const TrainSpec& s) {
  return fmt::format("model {} ({} tensors, {} bytes) bucket {} first {} steps {} warmup {} "
                     "compute {} dtype {} algo {} tuning {} chunk {} window {} check {}",
                     s.model_arg, s.model.tensors.size(), s.model.bytes(), s.bucket_bytes,
                     s.first_bucket_bytes, s.steps, s.warmup_steps,
                     s.compute_ms ? fmt::format("{}", *s.compute_ms) : "none",
                     s.dtype ? std::string(name(*s.dtype)) : "model", s.algo, s.tuning_file,
                     s.pipeline.chunk_bytes, s.pipeline.window, s.check);
}

void validate(const TrainSpec& s) {
  if (s.bucket_bytes == 0) throw InputError("--bucket: must be at least one byte");
  if (s.first_bucket_bytes == 0) throw InputError("--first-bucket: must be at least one byte");
  if (s.steps < 1) throw InputError("--steps: at least one");
  if (s.compute_ms && !(*s.compute_ms >= 0)) throw InputError("--compute-ms: must not be negative");
  if (s.pipeline.chunk_bytes == 0) throw InputError("--chunk: must be at least one byte");
  if (s.algo != "auto" && s.algo != kMpiName) find_algorithm(s.algo);
  if (s.algo == kMpiName) {
    for (const Tensor& t : s.model.tensors) check_mpi_types(s.dtype.value_or(t.dtype), Op::kSum);
  }
}

int run_train(Context& ctx, const TrainSpec& spec) {
  validate(spec);
  const Model model = with_dtype(spec.model, spec.dtype);
  std::vector<Bucket> buckets = ddp_buckets(model, spec.bucket_bytes, spec.first_bucket_bytes);
  if (spec.algo == kMpiName) check_mpi_launcher(ctx.bootstrap().kind());
  const Group world = Group::world(ctx.transport());
  std::size_t largest = 0;
  std::size_t total = 0;
  for (const Bucket& b : buckets) {
    largest = std::max(largest, b.bytes);
    total += b.bytes;
  }
  // The buckets' plans never run at once: they share working memory, and one landing buffer
  // for the one-sided ring's partial sums (in place, as DDP all-reduces).
  Scratch scratch;
  const std::unique_ptr<transport::MemoryRegion> landing = ctx.transport().allocate_memory(largest);
  const Setup setup{&world, host_indices(ctx.rank_hosts()), spec.pipeline, &scratch, landing.get()};
  const Shape shape = shape_of(setup);
  // In transport memory, so peers can put straight into it (Transport::allocate_memory).
  const std::unique_ptr<transport::MemoryRegion> grads = ctx.transport().allocate_memory(largest);
  unsigned char* data = static_cast<unsigned char*>(grads->data());

  // auto decides per bucket from the table or the model (measured once per data type).
  std::optional<TuningTable> table;
  if (!spec.tuning_file.empty()) {
    const std::string text = ctx.rank() == 0 ? read_file(spec.tuning_file) : std::string();
    table = parse_tuning_table(ctx.bootstrap().allgather(text).at(0), spec.tuning_file);
  }
  std::map<Dtype, Selector> selectors;
  std::vector<PreparedBucket> prepared;
  const std::size_t params = model.parameters();
  std::size_t produced = 0;  // parameters whose gradients exist, in backward order
  std::size_t position = 0;
  for (Bucket& b : buckets) {
    PreparedBucket p;
    const Job job{data, data, b.count, Reduction::make(b.dtype, Op::kSum), grads.get(), grads.get()};
    if (spec.algo == kMpiName) {
      p.algo = spec.algo;
      p.plan = prepare_mpi_baseline(job);
    } else {
      const Algorithm* a = nullptr;
      if (spec.algo == "auto") {
        auto it = selectors.find(b.dtype);
        if (it == selectors.end()) {
          std::optional<Network> net;
          if (!table) net = measure_network(ctx.transport(), setup.host_of, job.red);
          it = selectors.emplace(b.dtype, Selector(table, net)).first;
        }
        a = it->second.choose(shape, job.red, job.bytes(), spec.pipeline).algo;
      } else {
        a = &find_algorithm(spec.algo);
      }
      p.algo = std::string(a->name);
      p.plan = a->prepare(setup, job);
    }
    for (; position <= b.ready_after; ++position) {
      produced += model.tensors[model.tensors.size() - 1 - position].elements;
    }
    p.ready_s = spec.compute_ms ? *spec.compute_ms * 1e-3 * static_cast<double>(produced) /
                                      static_cast<double>(params)
                                : 0.0;
    p.bucket = std::move(b);
    prepared.push_back(std::move(p));
  }

  std::map<std::string, int> used;
  for (const PreparedBucket& p : prepared) ++used[p.algo];
  std::string used_text;
  for (const auto& [a, n] : used) used_text += fmt::format("{}{} x{}", used_text.empty() ? "" : ", ", a, n);
  say(ctx, fmt::format("# lightpath train: {} ({} parameters, {} of gradients) on {} ranks over {}",
                       model.name, params, format_size(total), ctx.size(), ctx.transport().name()));
  say(ctx, fmt::format("# {} buckets (first {}, then {}), largest {}; all-reduce: {}", prepared.size(),
                       format_size(spec.first_bucket_bytes), format_size(spec.bucket_bytes),
                       format_size(largest), used_text));

  bool failed = false;
  if (spec.check) {
    for (const PreparedBucket& p : prepared) {
      const Seeding seeding{p.bucket.dtype, Op::kSum, ctx.size(), 11 + p.bucket.count};
      fill_input(seeding, ctx.rank(), data, p.bucket.count);
      p.plan->run();
      const auto bad = verify_result(seeding, data, p.bucket.count);
      const std::string mine = bad ? fmt::format("rank {}: a {} bucket of {} elements: index {}: "
                                                 "expected {}, got {}",
                                                 ctx.rank(), format_size(p.bucket.bytes),
                                                 p.bucket.count, bad->index, bad->expected,
                                                 bad->actual)
                                   : "";
      for (const std::string& line : settle_and_allgather(ctx.transport(), mine)) {
        if (line.empty()) continue;
        failed = true;
        if (ctx.rank() == 0) std::fprintf(stderr, "lightpath: check failed: %s\n", line.c_str());
      }
    }
    say(ctx, fmt::format("# check: {}", failed ? "fail" : "pass"));
  }

  const double compute_s = spec.compute_ms ? *spec.compute_ms * 1e-3 : 0.0;
  std::vector<double> comm, step, exposed;
  const auto run0 = Clock::now();
  for (int s = -spec.warmup_steps; s < spec.steps; ++s) {
    ctx.transport().barrier();
    const Clock::time_point t0 = Clock::now();
    double c = 0;
    for (const PreparedBucket& p : prepared) {
      const Clock::time_point ready = t0 + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(p.ready_s));
      while (Clock::now() < ready) ctx.transport().idle();
      const Clock::time_point c0 = Clock::now();
      p.plan->run();
      c += std::chrono::duration<double>(Clock::now() - c0).count();
    }
    const double st = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s < 0) continue;
    comm.push_back(c);
    step.push_back(st);
    exposed.push_back(spec.compute_ms ? std::max(0.0, st - compute_s) : c);
  }
  const double duration = std::chrono::duration<double>(Clock::now() - run0).count();
  comm = gather_max(ctx, comm);
  exposed = gather_max(ctx, exposed);
  step = gather_max(ctx, step);

  TrainResult result;
  result.model = model.name;
  result.parameters = params;
  result.buckets = prepared.size();
  result.bytes = total;
  result.algo_used = used;
  result.comm_s = comm;
  result.step_s = step;
  result.exposed_s = exposed;
  result.ranks = ctx.size();
  result.check = spec.check ? (failed ? "fail" : "pass") : "off";
  const double factor = bus_factor(ctx.size());
  say(ctx, fmt::format("# {:>5} {:>12} {:>12} {:>10} {:>10} {:>12}", "step", "comm_ms", "bytes",
                       "algbw", "busbw", "exposed_ms"));
  for (std::size_t i = 0; i < comm.size(); ++i) {
    const double algbw = comm[i] > 0 ? static_cast<double>(total) / comm[i] / 1e9 : 0.0;
    say(ctx, fmt::format("  {:>5} {:>12.3f} {:>12} {:>10.2f} {:>10.2f} {:>12.3f}", i, comm[i] * 1e3,
                         total, algbw, algbw * factor, exposed[i] * 1e3));
  }
  const nlohmann::json r = to_record(result, spec, ctx.record_base());
  say(ctx, fmt::format("# step comm avg {:.3f} ms (p50 {:.3f}, p99 {:.3f}), busbw {:.2f} GB/s, "
                       "exposed {:.3f} ms{}",
                       r["step_comm_ms"]["avg"].get<double>(), r["step_comm_ms"]["p50"].get<double>(),
                       r["step_comm_ms"]["p99"].get<double>(), r["busbw_GBps"].get<double>(),
                       r["exposed_ms"].get<double>(),
                       spec.compute_ms ? fmt::format(" of {:.3f} ms compute", *spec.compute_ms) : ""));
  ctx.emit({r});
  ctx.write_traffic(duration);
  return failed ? kExitFailure : kExitOk;
}

}  // namespace lp::bench::train
