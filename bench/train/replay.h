// `lightpath train`: replays the gradient all-reduces of data-parallel training. Each step
// all-reduces (sum, in place, as DDP does) every gradient bucket in turn with the chosen
// algorithm. With --compute-ms, backward takes that long per step (spent elsewhere, as on a
// GPU) and produces gradients in reverse layer order in proportion to their size: a
// bucket's all-reduce starts once its last gradient exists and the previous all-reduce is
// done, and the exposed time is what the step runs past the compute.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/common/context.h"
#include "bench/train/model.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench::train {

struct TrainSpec {
  std::string model_arg;  // as given: a built-in name or a file
  Model model;
  std::size_t bucket_bytes = std::size_t{25} << 20;
  std::size_t first_bucket_bytes = std::size_t{1} << 20;
  int steps = 20;
  int warmup_steps = 2;
  std::optional<double> compute_ms;
  std::optional<Dtype> dtype;     // every gradient in this type instead of the model's
  std::string algo = "auto";
  std::string tuning_file;
  allreduce::Pipeline pipeline;
  bool check = false;
};

// What a replay measured, slowest rank per step.
struct TrainResult {
  std::string model;
  std::size_t parameters = 0;
  std::size_t buckets = 0;
  std::size_t bytes = 0;                 // gradient bytes all-reduced per step, per rank
  std::map<std::string, int> algo_used;  // algorithm -> buckets it ran
  std::vector<double> comm_s;            // per step: the buckets' all-reduce time
  std::vector<double> step_s;            // per step: start to the last all-reduce's end
  std::vector<double> exposed_s;         // per step: communication not hidden by compute
  int ranks = 1;
  std::string check = "off";
};

// The "train" record of DESIGN.md (model, buckets, bytes, step_comm_ms, exposed_ms) and
// more: the options, bus bandwidth, per-step figures.
nlohmann::json to_record(const TrainResult& r, const TrainSpec& spec, nlohmann::json base);

std::string fingerprint(const TrainSpec& spec);
void validate(const TrainSpec& spec);

// Returns the exit status: 0, or 1 when --check found a wrong result.
int run_train(Context& ctx, const TrainSpec& spec);

}  // namespace lp::bench::train
