// A local search for lower MLU at the same F. The rounding of the MLU capacities lands near
// the best fractional topology, not on it; a move gives the most used block pair one more
// circuit, taking one port from each of its blocks' least used circuits in the same OCS class,
// whose other ends are then joined (every block keeps its circuit count). A move is measured
// with the MLU program and kept when MLU drops, F does not, and the constraints hold. The
// number of measurements is bounded by the fabric's size (each costs a linear program over
// n^3 paths), so a large fabric gets a few and a small one many.
#pragma once

#include "ocs/block_program.h"
#include "ocs/mlu.h"
#include "ocs/plan_input.h"

#include <vector>

namespace lp::ocs {

ClassCounts lower_mlu(const PlanInput& in, const std::vector<OcsClass>& classes, ClassCounts counts, MluSolver& mlu);

}  // namespace lp::ocs
