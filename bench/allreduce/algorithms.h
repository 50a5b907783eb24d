// The descriptors of lightpath's own algorithms, one file each; algorithms.cc lists them.
#pragma once

#include "bench/allreduce/algorithm.h"

namespace lp::bench::allreduce {

extern const Algorithm kRing;
extern const Algorithm kRecursiveDoubling;
extern const Algorithm kRabenseifner;
extern const Algorithm kDoubleTree;
extern const Algorithm kHierarchical;

}  // namespace lp::bench::allreduce
