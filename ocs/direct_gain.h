// The direct service of one block pair as a function of its circuit count x: with demands a
// and b (in circuits, each direction), min(a, x) + min(b, x). At whole x it is concave (the
// k-th circuit serves at most what the first k-1 left over), and the block-level program
// writes it as runs of circuits with the same marginal gain, its breakpoints at whole numbers:
// the linear relaxation then interpolates the whole-number values (a tighter bound than the
// continuous min, and a relaxation CBC closes quickly).
#pragma once

#include <vector>

namespace lp::ocs {

struct GainRun {
  int circuits;  // how many circuits in this run
  double gain;   // served demand per circuit of the run, in circuits (0 < gain <= 2)
};

// Runs up to `capacity` circuits, gains decreasing; circuits past demand (gain 0) omitted.
std::vector<GainRun> direct_gain_runs(double a, double b, int capacity);

}  // namespace lp::ocs
