// The portable path: the scalar definition, left to the compiler's own vectorizer.
#include "bench/allreduce/kernel_scalar.h"
#include "bench/allreduce/kernels.h"

#include <cstring>

namespace lp::bench::allreduce::detail {
namespace {

template <Dtype D, Op O>
void portable_loop(void* dst, const void* a, const void* b, std::size_t n) {
  using T = StorageT<D>;
  scalar_loop<D, O>(static_cast<T*>(dst), static_cast<const T*>(a), static_cast<const T*>(b), n);
}

// No streaming stores here: the sum, then its copy.
template <Dtype D, Op O>
void portable_two(void* dst, void* dst2, const void* a, const void* b, std::size_t n) {
  if (n == 0) return;  // the buffers may be null then
  portable_loop<D, O>(dst, a, b, n);
  std::memcpy(dst2, dst, n * sizeof(StorageT<D>));
}

}  // namespace

ReduceFn portable_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceFn { return &portable_loop<D, O>; },
                  ReduceFn{nullptr});
}

ReduceTwoFn portable_two_kernel(Dtype d, Op op) {
  return dispatch(d, op, []<Dtype D, Op O>() -> ReduceTwoFn { return &portable_two<D, O>; },
                  ReduceTwoFn{nullptr});
}

}  // namespace lp::bench::allreduce::detail
