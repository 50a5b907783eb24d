// What users type for `lightpath rpc`: SLO specs, work times, stalls, rates, arrival names,
// and the size-distribution file.
#include "bench/rpc/arrival.h"
#include "bench/rpc/size_mix.h"
#include "bench/rpc/slo.h"
#include "bench/rpc/stall.h"
#include "bench/rpc/wire.h"
#include "bench/rpc/work_time.h"
#include "fuzz/fuzz_target.h"

#include <cmath>

namespace rpc = lp::bench::rpc;

LP_FUZZ_TARGET({
  try {
    for (const rpc::SloBound& b : rpc::parse_slo(input, "--slo")) {
      if (!(b.percentile > 0 && b.percentile <= 100) || b.limit.count() <= 0) __builtin_trap();
    }
  } catch (const lp::InputError&) {
  }
  try {
    const rpc::WorkTime w = rpc::parse_work_time(input, "--service-time");
    if (w.mean.count() < 0) __builtin_trap();
  } catch (const lp::InputError&) {
  }
  try {
    if (rpc::parse_stall(input, "--stall").length.count() <= 0) __builtin_trap();
  } catch (const lp::InputError&) {
  }
  try {
    const double r = rpc::parse_rate(input, "--rate");
    if (!(r > 0 && r <= 1e9)) __builtin_trap();
  } catch (const lp::InputError&) {
  }
  try {
    rpc::parse_arrival(input, "--arrival");
  } catch (const lp::InputError&) {
  }
  const rpc::SizeMix mix = rpc::SizeMix::parse(input, "sizes.json", 1);
  for (const rpc::SizeEntry& e : mix.entries()) {
    if (e.req < rpc::kRequestHeaderSize || e.resp < rpc::kResponseHeaderSize || e.tokens < 1 ||
        !(e.weight > 0) || !std::isfinite(e.weight)) {
      __builtin_trap();
    }
  }
})
