// Factorization: the block-level topology (circuits per pair on each OCS class) split onto
// the class's OCS devices, keeping the circuits in place wherever the target allows.
//
// An OCS joins any two of its ports, so per device only the circuit count per pair matters: a
// layout is counts[ocs][pair], and churn is the sum of |counts - current|. Per class:
//  1. keep: every current circuit stays; a pair with more in the class than the target loses
//     its extra circuits where an addition needs the ports (step 2), the rest at the end;
//  2. place the missing circuits one at a time on an OCS where both blocks have room (a free
//     port or a circuit that goes anyway), re-creating a removed circuit first; with none, a
//     depth-first search over alternating chains moves circuits between two OCSes to make room
//     (circuits that are new before those in place); with none, when the class's OCSes have
//     the same even port counts, the OCSes where the two blocks have free ports are split
//     afresh by Petersen's theorem (euler_split.h), which always fits, the colors going to the
//     OCSes that keep most of their circuits;
//  3. a class whose circuits did not all fit is retried in seeded random orders and, as a last
//     resort on same-port OCSes, split whole;
// then circuits still unplaced may go to any OCS with both ports free ("spill").
#pragma once

#include "ocs/block_program.h"
#include "ocs/plan_input.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lp::ocs {

struct Layout {
  std::vector<std::vector<int>> counts;  // [ocs][pair]
  std::vector<int> short_classes;        // classes where the target did not fit, before spilling
  int unplaced = 0;                      // target circuits left out after spilling
  int churn = 0;                         // against the current configuration (or none)
};

// With `keep_current` false the layout ignores the current configuration (churn is then the
// circuit count). `churn_budget` bounds the churn chains may add.
Layout factorize(const PlanInput& in, const std::vector<OcsClass>& classes, const ClassCounts& target,
                 bool keep_current, std::optional<int> churn_budget);

// Ports for a layout: kept circuits keep theirs, new ones take each block's free ports in
// ascending order. Then (with `keep_current`) every removed circuit whose two ports are still
// free is put back: it costs no port, only lowers churn and adds capacity.
topo::OcsConfig assign_ports(const PlanInput& in, const std::vector<std::vector<int>>& counts, bool keep_current);

}  // namespace lp::ocs
