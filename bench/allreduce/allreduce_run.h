// `lightpath allreduce`: for every (dtype, op), placement, size and algorithm asked, prepare
// a plan, check it exactly when asked, time it, and report a table row and a record. With
// --compare mpi, MPI_Allreduce is timed on the same buffers right after each point. With
// --tune, every one of lightpath's algorithms is timed per size and the fastest are written
// as a tuning table for `auto`.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/timing.h"
#include "bench/common/context.h"

#include <string>
#include <utility>
#include <vector>

namespace lp::bench::allreduce {

struct AllreduceSpec {
  std::vector<std::string> algos = {"auto"};  // lightpath's own, "auto" or "mpi"
  std::vector<std::size_t> sizes;             // bytes per rank
  std::vector<std::pair<Dtype, Op>> pairs = {{Dtype::kF32, Op::kSum}};
  std::vector<bool> placements = {false};     // in_place values
  bool check = false;
  bool compare_mpi = false;
  TimingOptions timing;
  Pipeline pipeline;
  std::string tuning_file;                    // auto reads rules from here
  std::string tune_out;                       // --tune: write a table here
};

// Options in canonical form, for Context's same-on-every-rank check.
std::string fingerprint(const AllreduceSpec& spec);

// Validates what can be validated before any rank communicates (InputError).
void validate(const AllreduceSpec& spec);

// Returns the exit status: 0, or 1 when a check failed.
int run_allreduce(Context& ctx, const AllreduceSpec& spec);

// Host index of each rank, from host names (first appearance order).
std::vector<int> host_indices(const std::vector<std::string>& rank_hosts);

}  // namespace lp::bench::allreduce
