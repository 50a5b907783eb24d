#include "bench/allreduce/kernels.h"

#include "core/error.h"

#include <cpuid.h>

#include <algorithm>

namespace lp::bench::allreduce {

std::string_view name(Isa isa) {
  switch (isa) {
    case Isa::kPortable: return "portable";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
  }
  return "?";
}

namespace {

// F16C (the f16 conversions of the AVX2 path), which not every compiler's
// __builtin_cpu_supports knows by name: CPUID leaf 1, ECX.
bool has_f16c() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & bit_F16C) != 0;
}

}  // namespace

std::vector<Isa> available_isas() {
  std::vector<Isa> out = {Isa::kPortable};
  if (__builtin_cpu_supports("avx2") && has_f16c()) out.push_back(Isa::kAvx2);
  if (__builtin_cpu_supports("avx512f")) out.push_back(Isa::kAvx512);
  return out;
}

Isa best_isa() {
  static const Isa best = available_isas().back();
  return best;
}

namespace {

// The kernel for (d, op) from the table of `isa`: each table function takes (d, op).
template <class Fn>
Fn pick(Dtype d, Op op, Isa isa, Fn (*portable)(Dtype, Op), Fn (*avx2)(Dtype, Op),
        Fn (*avx512)(Dtype, Op), std::string_view what) {
  require_supported(d, op);
  const std::vector<Isa> isas = available_isas();
  if (std::find(isas.begin(), isas.end(), isa) == isas.end()) {
    throw Error(fmt::format("this CPU cannot run the {} kernels", name(isa)));
  }
  Fn fn = nullptr;
  switch (isa) {
    case Isa::kPortable: fn = portable(d, op); break;
    case Isa::kAvx2: fn = avx2(d, op); break;
    case Isa::kAvx512: fn = avx512(d, op); break;
  }
  LP_ENFORCE(fn != nullptr, "no {} {} for {} {}", name(isa), what, name(d), name(op));
  return fn;
}

}  // namespace

ReduceFn reduce_fn(Dtype d, Op op, Isa isa) {
  return pick(d, op, isa, detail::portable_kernel, detail::avx2_kernel, detail::avx512_kernel,
              "kernel");
}

ReduceTwoFn reduce_two_fn(Dtype d, Op op, Isa isa) {
  return pick(d, op, isa, detail::portable_two_kernel, detail::avx2_two_kernel,
              detail::avx512_two_kernel, "two-output kernel");
}

}  // namespace lp::bench::allreduce
