#include "bench/allreduce/selector.h"

#include "core/error.h"

namespace lp::bench::allreduce {

const Algorithm& cheapest(const Network& net, const Shape& shape, std::size_t bytes,
                          const Pipeline& pipeline) {
  const Algorithm* best = nullptr;
  double best_time = 0;
  const bool one_sided_host = shape.hosts == 1 && net.beta_put > 0;
  for (const Algorithm& a : algorithms()) {
    if (a.name == "hier" && (shape.hosts == 1 || shape.max_local == 1)) continue;
    if (one_sided_host && a.name != "ring" && a.name != "rd") continue;
    const double t = a.model(net, shape, bytes, pipeline);
    if (best == nullptr || t < best_time) {
      best = &a;
      best_time = t;
    }
  }
  return *best;
}

Choice Selector::choose(const Shape& shape, const Reduction& red, std::size_t bytes,
                        const Pipeline& pipeline) const {
  if (table_) {
    if (auto name = lookup(*table_, shape.ranks, shape.hosts, red.dtype, red.op, bytes)) {
      return {&find_algorithm(*name, "tuning table"), "table"};
    }
  }
  if (!net_) {
    throw Error(fmt::format("auto: the tuning table has no rule for {} ranks on {} hosts ({} {})",
                            shape.ranks, shape.hosts, name(red.dtype), name(red.op)));
  }
  return {&cheapest(*net_, shape, bytes, pipeline), "model"};
}

}  // namespace lp::bench::allreduce
