// Figures for the OCS planner (scripts/ocs_perf.sh prints them):
//   ocs_perf jupiter DIR [LOAD] [SEED]  writes a Jupiter-sized instance to DIR: 64 blocks x
//       512 uplinks over 256 OCSes of 136 ports (2 per block each), gravity traffic, the same
//       traffic later with a tenth of it moved elsewhere, and a uniform mesh as the current
//       configuration;
//   ocs_perf compare COUNT [FIRST_SEED]  plans COUNT seeded random small fabrics (up to 12
//       blocks, 8 uplinks each) with the fast path and with --exact, and prints how often the
//       fast F equals the exact one and the worst ratio.
#include "core/atomic_file.h"
#include "core/error.h"
#include "ocs/json_text.h"
#include "ocs/planner.h"
#include "ocs/synth/synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace {

using lp::ocs::PlanSettings;

int jupiter(const std::string& dir, double load, std::uint64_t seed) {
  const lp::topo::Fabric f = lp::ocs::synth::uniform_fabric(64, 256, 2, 8, 400, 4, "jupiter-64");
  lp::write_file_atomic(dir + "/fabric.json", lp::ocs::json_text(lp::topo::to_json(f)));
  const lp::topo::TrafficMatrix t = lp::ocs::synth::gravity_traffic(f, load, seed);
  lp::topo::save_traffic(t, dir + "/traffic.json");
  // The same load a while later: a tenth of it moved to other block pairs.
  lp::topo::TrafficMatrix later = lp::ocs::synth::gravity_traffic(f, load, seed + 1);
  for (std::size_t k = 0; k < later.bytes.size(); ++k) later.bytes[k] = std::round(0.9 * t.bytes[k] + 0.1 * later.bytes[k]);
  lp::topo::save_traffic(later, dir + "/traffic-later.json");
  lp::write_file_atomic(dir + "/mesh.json", lp::ocs::json_text(lp::topo::to_json(lp::ocs::synth::mesh_config(f), f)));
  std::printf("wrote %s/fabric.json, traffic.json (gravity, load %.2f, seed %llu), traffic-later.json, mesh.json\n", dir.c_str(), load,
              static_cast<unsigned long long>(seed));
  return 0;
}

// The metrics of a plan, or nothing when the planner refuses the instance (no connected plan fits).
std::optional<lp::ocs::Metrics> planned(const lp::topo::Fabric& f, const lp::topo::TrafficMatrix& t, bool exact, double& secs) {
  PlanSettings s;
  s.exact = exact;
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<lp::ocs::Metrics> out;
  try {
    out = lp::ocs::make_plan(lp::ocs::make_plan_input(f, t, std::nullopt, s)).after;
  } catch (const lp::InputError&) {
  }
  secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

int compare(int count, std::uint64_t first) {
  int equal = 0, both = 0, refused = 0, disagree = 0, mlu_count = 0, mlu_no_worse = 0;
  double mlu_sum = 0, mlu_worst = 0;
  double worst = 1, fast_s = 0, exact_s = 0;
  std::uint64_t worst_seed = first;
  for (int k = 0; k < count; ++k) {
    const std::uint64_t seed = first + static_cast<std::uint64_t>(k);
    const lp::topo::Fabric f = lp::ocs::synth::random_fabric(seed, 12, 8);
    const lp::topo::TrafficMatrix t = lp::ocs::synth::random_traffic(f, 150, seed);
    const std::optional<lp::ocs::Metrics> a = planned(f, t, false, fast_s);
    const std::optional<lp::ocs::Metrics> b = planned(f, t, true, exact_s);
    if (!a && !b) {
      ++refused;
      continue;
    }
    if (!a || !b) {
      ++disagree;
      std::printf("seed %llu: %s refuses, %s plans\n", static_cast<unsigned long long>(seed), a ? "exact" : "fast",
                  a ? "fast" : "exact");
      continue;
    }
    ++both;
    if (a->direct_fraction >= b->direct_fraction - 1e-6) ++equal;
    const double ratio = b->direct_fraction > 0 ? a->direct_fraction / b->direct_fraction : 1.0;
    if (ratio < worst) {
      worst = ratio;
      worst_seed = seed;
    }
    if (a->mlu && b->mlu && *b->mlu > 0) {
      const double m = *a->mlu / *b->mlu;
      mlu_sum += m;
      mlu_worst = std::max(mlu_worst, m);
      ++mlu_count;
      mlu_no_worse += m <= 1 + 1e-6;
    }
  }
  std::printf("random small fabrics: %d seeds from %llu: %d planned by both, %d refused by both (no connected plan "
              "fits), %d where only one planned\n", count, static_cast<unsigned long long>(first), both, refused, disagree);
  std::printf("fast F == exact F: %d of %d (%.1f%%); worst fast/exact %.4f (seed %llu)\n", equal, both,
              both ? 100.0 * equal / both : 0.0, worst, static_cast<unsigned long long>(worst_seed));
  std::printf("MLU fast/exact (exact's MLU program is node-limited): mean %.4f, worst %.4f, no worse in %d of %d\n",
              mlu_count ? mlu_sum / mlu_count : 1.0, mlu_worst, mlu_no_worse, mlu_count);
  std::printf("time: fast %.2f s in all (%.1f ms each), exact %.2f s\n", fast_s, count ? 1e3 * fast_s / count : 0.0, exact_s);
  return disagree == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  try {
    if (what == "jupiter" && argc >= 3) {
      return jupiter(argv[2], argc > 3 ? std::atof(argv[3]) : 0.5, argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1);
    }
    if (what == "compare" && argc >= 3) return compare(std::atoi(argv[2]), argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1);
  } catch (const lp::Error& e) {
    std::fprintf(stderr, "ocs_perf: %s\n", e.what());
    return e.exit_code();
  }
  std::fprintf(stderr, "usage: ocs_perf jupiter DIR [LOAD] [SEED] | ocs_perf compare COUNT [FIRST_SEED]\n");
  return 2;
}
