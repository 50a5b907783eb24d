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

void require_runs(Dtype d, Op op, Isa isa) {
  require_supported(d, op);
  const std::vector<Isa> isas = available_isas();
  if (std::find(isas.begin(), isas.end(), isa) == isas.end()) {
    throw Error(fmt::format("this CPU cannot run the {} kernels", name(isa)));
  }
}

}  // namespace

ReduceFn reduce_fn(Dtype d, Op op, Isa isa) {
  require_runs(d, op, isa);
  ReduceFn fn = nullptr;
  switch (isa) {
    case Isa::kPortable: fn = detail::portable_kernel(d, op); break;
    case Isa::kAvx2: fn = detail::avx2_kernel(d, op); break;
    case Isa::kAvx512: fn = detail::avx512_kernel(d, op); break;
  }
  LP_ENFORCE(fn != nullptr, "no {} kernel for {} {}", name(isa), name(d), name(op));
  return fn;
}

ReduceTwoFn reduce_two_fn(Dtype d, Op op, Isa isa) {
  require_runs(d, op, isa);
  ReduceTwoFn fn = nullptr;
  switch (isa) {
    case Isa::kPortable: fn = detail::portable_two_kernel(d, op); break;
    case Isa::kAvx2: fn = detail::avx2_two_kernel(d, op); break;
    case Isa::kAvx512: fn = detail::avx512_two_kernel(d, op); break;
  }
  LP_ENFORCE(fn != nullptr, "no {} two-output kernel for {} {}", name(isa), name(d), name(op));
  return fn;
}

}  // namespace lp::bench::allreduce
