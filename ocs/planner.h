// The planner: from block-level traffic, the fabric and the circuits in place to a target
// configuration and its stages, optimizing lexicographically (DESIGN.md): the highest direct
// fraction F, then the lowest MLU, then the least churn, under every constraint.
//
// Fast path (default):
//  1. the block-level program over OCS classes (block_program.h) gives the best F, and its
//     linear relaxation the bound reported next to it;
//  2. a linear program with the flows gives the pair capacities that minimize MLU while F
//     stays optimal, an integer program the topology closest to them, F still held, and a
//     local search (mlu_search.h) lowers MLU further by moving circuits;
//  3. that topology is factored onto the OCS devices (factorize.h) without regard to the
//     current circuits: this reference fixes the F and MLU a proposal must reach, from the
//     fabric, traffic and settings alone;
//  4. candidates that keep more of the current circuits (the reference's own block graph
//     factored with least churn; the least-churn topology with the F of phase 1, as it is and
//     with its MLU searched down; the current configuration itself) are measured, and the one with least churn that loses no F and no
//     MLU (beyond --mlu-slack) against the reference wins. Planning again from a proposal's
//     target therefore changes nothing: the target qualifies and has no churn.
//  A class whose circuits did not fit its OCSes is split into its devices and the program
//  solved again (while the program stays small enough), so classes are exact where it counts.
// --exact: every OCS its own class, and MLU and churn solved as integer programs too.
#pragma once

#include "ocs/metrics.h"
#include "ocs/plan_input.h"
#include "ocs/staging.h"
#include "topo/fabric.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace lp::ocs {

struct Plan {
  topo::OcsConfig base;
  topo::OcsConfig target;
  std::vector<Stage> stages;
  Metrics before;
  Metrics after;
  double bound = 1;          // upper bound on F: the block-level program's linear relaxation
  nlohmann::json method;     // how the target was found (classes, candidates, solver outcomes)
};

// Integer columns --exact accepts: a program of this size solves in seconds with CBC.
inline constexpr int kExactMaxColumns = 4000;

// Throws InputError when the fabric, traffic or settings admit no plan (naming the block or
// the setting), Error when the plan cannot be staged.
Plan make_plan(const PlanInput& in);

}  // namespace lp::ocs
