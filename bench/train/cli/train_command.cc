#include "bench/train/cli/train_command.h"

#include "bench/allreduce/dtype.h"
#include "bench/train/replay.h"
#include "core/error.h"
#include "core/sizes.h"

#include <memory>

namespace lp::bench::train {
namespace {

struct Options {
  CommonOptions common;
  std::string model;
  std::string bucket = "25M";
  std::string first_bucket = "1M";
  int steps = 20;
  int warmup = 2;
  double compute_ms = -1;
  std::string dtype = "model";
  std::string algo = "auto";
  std::string tuning;
  std::string chunk = "256K";
  int window = 4;
  bool check = false;
};

TrainSpec resolve(const Options& o) {
  TrainSpec s;
  s.model_arg = o.model;
  s.model = load_model(o.model);
  s.bucket_bytes = parse_size(o.bucket, "--bucket");
  s.first_bucket_bytes = parse_size(o.first_bucket, "--first-bucket");
  s.steps = o.steps;
  s.warmup_steps = o.warmup;
  if (o.compute_ms >= 0) s.compute_ms = o.compute_ms;
  if (o.dtype != "model") s.dtype = allreduce::parse_dtype(o.dtype, "--dtype");
  s.algo = o.algo;
  s.tuning_file = o.tuning;
  s.pipeline.chunk_bytes = parse_size(o.chunk, "--chunk");
  s.pipeline.window = o.window;
  s.check = o.check;
  validate(s);
  return s;
}

}  // namespace

cli::Command train_command() {
  return {"train", "replay the gradient all-reduces of data-parallel training (DDP buckets)",
          [](CLI::App& sub) -> cli::Action {
            auto o = std::make_shared<Options>();
            add_common_options(sub, o->common);
            sub.add_option("--model", o->model, "gpt2, gpt-1.3b, llama-7b, or a lightpath.model/1 file")
                ->required();
            sub.add_option("--bucket", o->bucket, "bucket size after the first (DDP bucket_cap_mb)")
                ->capture_default_str();
            sub.add_option("--first-bucket", o->first_bucket, "the first bucket's size")
                ->capture_default_str();
            sub.add_option("--steps", o->steps, "measured steps")->capture_default_str()->check(CLI::Range(1, 1 << 30));
            sub.add_option("--warmup-steps", o->warmup, "unmeasured steps first")
                ->capture_default_str()
                ->check(CLI::Range(0, 1 << 30));
            sub.add_option("--compute-ms", o->compute_ms,
                           "backward compute per step: all-reduces overlap it, the rest is exposed");
            sub.add_option("--dtype", o->dtype, "gradients in this type (model: as the model lists)")
                ->capture_default_str();
            sub.add_option("--algo", o->algo, "auto, ring, rd, rabenseifner, tree, hier or mpi")
                ->capture_default_str();
            sub.add_option("--tuning", o->tuning, "tuning table for --algo auto");
            sub.add_option("--chunk", o->chunk, "pipeline chunk")->capture_default_str();
            sub.add_option("--window", o->window, "pipeline chunks in flight")
                ->capture_default_str()
                ->check(CLI::Range(1, 1 << 20));
            sub.add_flag("--check", o->check, "verify every bucket's all-reduce once, exactly");
            return [o] {
              const TrainSpec spec = resolve(*o);
              return run_guarded([&] {
                Context ctx(o->common, "train", fingerprint(spec));
                return run_train(ctx, spec);
              });
            };
          }};
}

}  // namespace lp::bench::train
