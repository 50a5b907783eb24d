// Spare ports. The block-level program places the circuits that serve demand directly; the
// ports left over are spent where they lower MLU: one circuit at a time to the pair whose
// direct links are the most loaded (demand over capacity), so that direct capacity follows
// demand and heavy pairs gain headroom for transit too; pairs without demand come last, the
// fewest circuits first (a mesh for traffic not yet seen). A pair takes its circuit on the
// class where both blocks have the most room. With `restore_current`, circuits the current
// configuration has on a pair and class come back first: they add capacity at no churn; and
// with `churn_budget` no circuit is added that would take class-level churn past it.
#pragma once

#include "ocs/block_program.h"
#include "ocs/plan_input.h"
#include "ocs/ports.h"

#include <optional>
#include <vector>

namespace lp::ocs {

ClassCounts spend_spare(const PlanInput& in, const std::vector<OcsClass>& classes, ClassCounts counts,
                        bool restore_current, std::optional<int> churn_budget);

}  // namespace lp::ocs
