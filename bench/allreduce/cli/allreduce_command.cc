#include "bench/allreduce/cli/allreduce_command.h"

#include "bench/allreduce/allreduce_run.h"
#include "bench/allreduce/mpi_baseline.h"
#include "core/error.h"
#include "core/sizes.h"

#include <memory>

namespace lp::bench::allreduce {
namespace {

struct Options {
  CommonOptions common;
  std::string algo = "auto";
  std::string sizes = "8:64M";
  std::string dtype = "f32";
  std::string op = "sum";
  std::string place = "out";
  bool check = false;
  std::string compare;
  int iters = 0;
  int warmup = 5;
  std::string budget = "200ms";
  std::string chunk = "256K";
  int window = 4;
  std::string tuning;
  bool tune = false;
  std::string out;
};

// "all" stands for every one of lightpath's own algorithms.
std::vector<std::string> resolve_algos(const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& item : split_list(text, "--algo")) {
    if (item == "all") {
      for (const Algorithm& a : algorithms()) out.emplace_back(a.name);
      continue;
    }
    if (item != "auto" && item != kMpiName) find_algorithm(item);
    out.push_back(item);
  }
  return out;
}

// Every (dtype, op) asked for. With --op all, operations a type lacks are skipped; named
// explicitly, they are an error.
std::vector<std::pair<Dtype, Op>> resolve_pairs(const Options& o) {
  std::vector<std::pair<Dtype, Op>> out;
  for (Dtype d : parse_dtypes(o.dtype)) {
    for (Op op : parse_ops(o.op)) {
      if (!supports(d, op)) {
        if (o.op == "all") continue;
        require_supported(d, op, "--dtype/--op");
      }
      out.emplace_back(d, op);
    }
  }
  return out;
}

AllreduceSpec resolve(const Options& o) {
  AllreduceSpec s;
  s.algos = resolve_algos(o.algo);
  s.sizes = parse_size_range(o.sizes, "--sizes");
  s.pairs = resolve_pairs(o);
  if (o.place == "out") s.placements = {false};
  else if (o.place == "in") s.placements = {true};
  else if (o.place == "both") s.placements = {false, true};
  else throw input_error("--place", fmt::format("'{}': expected out, in or both", o.place));
  s.check = o.check;
  if (!o.compare.empty() && o.compare != kMpiName) {
    throw input_error("--compare", fmt::format("'{}': the one baseline is mpi", o.compare));
  }
  s.compare_mpi = !o.compare.empty();
  s.timing.iters = o.iters;
  s.timing.warmup = o.warmup;
  s.timing.budget_s =
      std::chrono::duration<double>(parse_duration(o.budget, "--budget")).count();
  s.pipeline.chunk_bytes = parse_size(o.chunk, "--chunk");
  s.pipeline.window = o.window;
  s.tuning_file = o.tuning;
  if (o.tune && o.out.empty()) throw InputError("--tune: give the file to write with --out FILE");
  if (!o.tune && !o.out.empty()) throw InputError("--out: only with --tune");
  if (o.tune) s.tune_out = o.out;
  validate(s);
  return s;
}

}  // namespace

cli::Command allreduce_command() {
  return {"allreduce",
          "time all-reduce algorithms (ring, rd, rabenseifner, tree, hier, auto, mpi), checked "
          "exactly, with bus bandwidth",
          [](CLI::App& sub) -> cli::Action {
            auto o = std::make_shared<Options>();
            add_common_options(sub, o->common);
            sub.add_option("--algo", o->algo,
                           "auto, ring, rd, rabenseifner, tree, hier or mpi; a comma list, or "
                           "all (lightpath's own)")
                ->capture_default_str();
            sub.add_option("--sizes", o->sizes, "bytes per rank: MIN:MAX[:FACTOR] or one size")
                ->capture_default_str();
            sub.add_option("--dtype", o->dtype, "f32, f64, f16, bf16, i32, i64; a list or all")
                ->capture_default_str();
            sub.add_option("--op", o->op, "sum, max, min, band, bor, bxor; a list or all")
                ->capture_default_str();
            sub.add_option("--place", o->place, "out (of place), in (place) or both")
                ->capture_default_str();
            sub.add_flag("--check", o->check, "seed exact inputs and verify every result");
            sub.add_option("--compare", o->compare, "mpi: also time MPI_Allreduce at every size");
            sub.add_option("--iters", o->iters, "timed calls per size (0: fit --budget)")
                ->capture_default_str()
                ->check(CLI::Range(0, 1 << 30));
            sub.add_option("--warmup", o->warmup, "untimed calls per size first")
                ->capture_default_str()
                ->check(CLI::Range(0, 1 << 30));
            sub.add_option("--budget", o->budget, "time per size when --iters is 0")
                ->capture_default_str();
            sub.add_option("--chunk", o->chunk, "pipeline chunk of ring, tree and hier")
                ->capture_default_str();
            sub.add_option("--window", o->window, "pipeline chunks in flight")
                ->capture_default_str();
            sub.add_option("--tuning", o->tuning, "tuning table for --algo auto (from --tune)");
            sub.add_flag("--tune", o->tune, "time every algorithm per size; write the fastest "
                                            "to --out (under Open MPI's mpirun, which reads "
                                            "--tune itself, write --tune=1)");
            sub.add_option("--out", o->out, "with --tune: the tuning table to write (merged "
                                            "with what it holds)");
            return [o] {
              const AllreduceSpec spec = resolve(*o);
              return run_guarded([&] {
                Context ctx(o->common, "allreduce", fingerprint(spec));
                return run_allreduce(ctx, spec);
              });
            };
          }};
}

}  // namespace lp::bench::allreduce
