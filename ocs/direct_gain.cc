#include "ocs/direct_gain.h"

#include <algorithm>
#include <cmath>

namespace lp::ocs {

std::vector<GainRun> direct_gain_runs(double a, double b, int capacity) {
  // The k-th circuit (k = 1, 2, ...) serves clamp(a - (k - 1), 0, 1) + the same for b, which
  // is constant between these breakpoints.
  std::vector<double> cuts{0.0, static_cast<double>(capacity)};
  for (const double d : {a, b}) {
    const double f = std::floor(d);
    cuts.push_back(f);
    cuts.push_back(f + 1);
  }
  for (double& c : cuts) c = std::clamp(c, 0.0, static_cast<double>(capacity));
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<GainRun> runs;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const double before = cuts[k];  // circuits before this run
    const double gain = std::clamp(a - before, 0.0, 1.0) + std::clamp(b - before, 0.0, 1.0);
    if (gain <= 0) break;
    const int count = static_cast<int>(cuts[k + 1] - before);
    if (!runs.empty() && runs.back().gain == gain) {
      runs.back().circuits += count;
    } else {
      runs.push_back({count, gain});
    }
  }
  return runs;
}

}  // namespace lp::ocs
