#include "bench/allreduce/algorithms.h"

#include "core/error.h"

#include <algorithm>
#include <cstring>

namespace lp::bench::allreduce {

const std::vector<Algorithm>& algorithms() {
  static const std::vector<Algorithm> kAll = {kRing, kRecursiveDoubling, kRabenseifner,
                                              kDoubleTree, kHierarchical};
  return kAll;
}

const Algorithm& find_algorithm(std::string_view name, std::string_view flag) {
  for (const Algorithm& a : algorithms()) {
    if (a.name == name) return a;
  }
  std::string choices;
  for (const Algorithm& a : algorithms()) choices += std::string(a.name) + ", ";
  throw input_error(flag, fmt::format("unknown algorithm '{}' (choose from {}auto or mpi)", name,
                                      choices));
}

Shape shape_of(const Setup& s) {
  Shape shape;
  shape.ranks = s.group->size();
  std::vector<int> hosts = s.host_of;
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  shape.hosts = std::max<int>(1, static_cast<int>(hosts.size()));
  shape.max_local = 1;
  for (int h : hosts) {
    shape.max_local = std::max<int>(
        shape.max_local, static_cast<int>(std::count(s.host_of.begin(), s.host_of.end(), h)));
  }
  return shape;
}

void copy_if_out_of_place(const Job& job) {
  if (!job.in_place() && job.count > 0) std::memcpy(job.recv, job.send, job.bytes());
}

}  // namespace lp::bench::allreduce
