// What one measured all-reduce point becomes: a row of the human table (in the spirit of
// nccl-tests) and a JSON Lines record with the field names of DESIGN.md.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/timing.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lp::bench::allreduce {

struct Point {
  std::string algo;   // as asked
  std::string used;   // what ran (auto's pick)
  std::string why;    // "table", "model" or "" (asked for by name)
  std::string transfer = "send";  // Plan::transfer(): send, put or map
  Dtype dtype = Dtype::kF32;
  Op op = Op::kSum;
  std::size_t count = 0;
  std::size_t bytes = 0;
  bool in_place = false;
  int ranks = 1;
  Timing timing;
  std::string check = "off";      // pass, fail or off
  std::optional<double> vs_mpi;   // MPI_Allreduce's time over this one's (same run)
};

// Bus bandwidth factor: 2(n-1)/n, what each rank must move per byte of the vector.
double bus_factor(int ranks);
double algbw_GBps(const Point& p);
double busbw_GBps(const Point& p);

std::string table_header(bool compare);
std::string table_row(const Point& p, bool compare);

// `base` is Context::record_base(); `pipeline` and the kernel path are recorded as well.
nlohmann::json to_record(const Point& p, nlohmann::json base, const Pipeline& pipeline);

}  // namespace lp::bench::allreduce
