// The portable path: the scalar definition, left to the compiler's own vectorizer.
#include "bench/allreduce/kernel_scalar.h"
#include "bench/allreduce/kernels.h"

namespace lp::bench::allreduce::detail {
namespace {

template <Dtype D, Op O>
void portable_loop(void* dst, const void* a, const void* b, std::size_t n) {
  using T = StorageT<D>;
  scalar_loop<D, O>(static_cast<T*>(dst), static_cast<const T*>(a), static_cast<const T*>(b), n);
}

}  // namespace

ReduceFn portable_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceFn { return &portable_loop<D, O>; },
                  ReduceFn{nullptr});
}

}  // namespace lp::bench::allreduce::detail
