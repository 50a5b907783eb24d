// The block-level program: x[c][p], the circuits of block pair p on OCS class c (ports.h),
// integer, under every constraint of a proposal that can be stated on classes:
//  - per block and class, at most the block's working ports there;
//  - per pair, at least --min-pair-circuits;
//  - per block, at least ceil(--min-capacity * its base circuits), which staging needs;
//  - class-level churn at most --max-churn (per-OCS churn can only be higher);
//  - a connected block graph (a cut row is added for each component of a solution that is not).
// The direct fraction is a concave gain per pair (a second circuit is worth less than the
// first), written as runs of circuits of equal marginal gain (direct_gain.h).
// Phase 1 maximizes F; what follows holds F (hold_optimum) while it pursues its own goal: the
// capacities that minimize MLU and the topology closest to them, the fewest changes to the
// current circuits, or with --exact the lowest MLU and then the fewest changes.
#pragma once

#include "ocs/plan_input.h"
#include "ocs/ports.h"
#include "ocs/solver.h"

#include <optional>
#include <vector>

namespace lp::ocs {

using ClassCounts = std::vector<std::vector<int>>;  // [class][pair]

// Tolerance with which later phases hold an earlier optimum (F is in [0, 1]).
inline constexpr double kHoldTolerance = 1e-7;
// Branch-and-bound nodes of --exact's MLU and churn programs (min-max programs close slowly;
// F's program has the solver's default). Whether they closed is in the proposal.
inline constexpr int kExactGoalNodes = 500;
// A later phase's goal weighs this much against F's range of 1 in its objective.
inline constexpr double kGoalWeight = 1e-2;

class BlockProgram {
 public:
  BlockProgram(const PlanInput& in, std::vector<OcsClass> classes);

  const std::vector<OcsClass>& classes() const { return classes_; }
  // Branch-and-bound nodes of phase 1 (the solver's default otherwise).
  BlockProgram& direct_nodes(int nodes) {
    direct_nodes_ = nodes;
    return *this;
  }
  int integer_columns() const { return base_.integer_columns(); }

  // Phase 1: the highest direct fraction of an integer topology; empty when no topology meets
  // the constraints. Its topology is what solution() returns until the next phase.
  std::optional<double> max_direct();
  // The linear relaxation of phase 1 (with its cuts): an upper bound on F.
  double direct_bound() const;
  // Phase 2 (a linear program, by column generation): fractional pair capacities that let
  // the largest uniform scaling of the demand through direct and one-transit paths while F
  // stays optimal. Zero demand plans for a uniform one (traffic not yet seen).
  std::vector<double> mlu_capacities();
  // Phase 3: the integer topology closest to `capacities` (the sum over pairs of
  // min(x, capacity)), spare ports used where they add circuits, F held.
  ClassCounts round_to(const std::vector<double>& capacities);

  // The topology with F held that changes the fewest circuits of the current configuration
  // (class-level churn).
  ClassCounts near_current();

  // Exact phases (--exact, each OCS its own class): the integer
  // topology with the lowest MLU while F is held (the largest uniform scaling lambda of the
  // demand it carries over direct and one-transit paths; MLU = 1 / lambda), empty when no
  // pair can carry a demand or when branch and bound found no solution in its nodes (phase
  // 1's topology then stands); then, holding lambda within `slack`, least churn, or with no
  // current configuration the most circuits (every useful port used), the topology before
  // standing when none is found.
  std::optional<double> max_concurrent();
  ClassCounts settle(std::optional<double> lambda, double slack);
  // Whether max_direct(), max_concurrent() and settle() closed their branch and bound.
  Outcome direct_outcome() const { return direct_outcome_; }
  Outcome concurrent_outcome() const { return concurrent_outcome_; }
  Outcome settle_outcome() const { return settle_outcome_; }


 private:
  // Solves `lp` (an integer program) adding cut rows until its block graph is connected.
  Outcome solve_connected(LinearProgram& lp);
  ClassCounts counts_of(const std::vector<double>& values) const;
  std::vector<double> pair_totals(const std::vector<double>& values) const;
  std::vector<LinearProgram::Term> direct_terms() const;  // sum of g = F * total demand
  void hold_direct(LinearProgram& lp) const;
  // Holds phase 1's F: by the relaxation's optimal face when the integer optimum reaches the
  // bound, by an F row otherwise.
  void hold_optimum(LinearProgram& lp) const;
  std::vector<LinearProgram::Term> rounding_terms(const std::vector<double>& capacities, LinearProgram& lp) const;
  // Objective of a later phase: F plus `terms` (the phase's goal, whose values span about
  // `range`) scaled to weigh kGoalWeight.
  void set_objective(LinearProgram& lp, const std::vector<LinearProgram::Term>& terms, double range) const;
  double circuits() const;  // the most circuits the fabric can hold
  // Adds lambda and the flows of the (normalized) demand over direct and one-transit paths,
  // each directed link at most its circuits; returns lambda's column, or -1 without demand.
  int add_flows(LinearProgram& lp) const;
  // Each directed block pair's demand in circuits over the largest one (without traffic: 1
  // wherever a circuit can be); empty when there is none.
  std::vector<double> normalized_demand() const;

  const PlanInput& in_;
  std::vector<OcsClass> classes_;
  LinearProgram base_{LinearProgram::Sense::kMaximize};
  std::vector<std::vector<std::pair<int, int>>> x_;   // per pair: (class, column)
  std::vector<LinearProgram::Term> gain_;             // gain-run columns, served demand per circuit
  std::vector<int> churn_;                            // e columns (class-level |x - current|)
  double total_demand_ = 0;                           // circuit units
  std::vector<double> solution_;
  std::optional<double> direct_;                      // phase 1 optimum
  double bound_ = 1;                                  // F of the relaxation
  bool on_face_ = false;                              // the integer optimum reaches the bound
  std::vector<std::pair<int, double>> face_columns_;  // (column, value) and (row, activity)
  std::vector<std::pair<int, double>> face_rows_;     //   fixed on the optimal face
  Outcome concurrent_outcome_ = Outcome::kOptimal;
  Outcome direct_outcome_ = Outcome::kOptimal;
  int direct_nodes_ = 20000;
  Outcome settle_outcome_ = Outcome::kOptimal;
};

}  // namespace lp::ocs
