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

std::size_t offset_in(const void* p, const transport::MemoryRegion& r, std::size_t bytes) {
  const auto* base = static_cast<const unsigned char*>(r.data());
  const auto* at = static_cast<const unsigned char*>(p);
  LP_ENFORCE(at >= base && static_cast<std::size_t>(at - base) <= r.size() &&
                 bytes <= r.size() - static_cast<std::size_t>(at - base),
             "the buffer lies outside its region");
  return static_cast<std::size_t>(at - base);
}

void copy_if_out_of_place(const Job& job) {
  if (!job.in_place() && job.count > 0) std::memcpy(job.recv, job.send, job.bytes());
}

}  // namespace lp::bench::allreduce
