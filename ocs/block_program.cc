#include "ocs/block_program.h"

#include "core/error.h"
#include "ocs/direct_gain.h"
#include "ocs/solver.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lp::ocs {
namespace {

// Column generation (ocs/solver.h) gives up after this many rounds (it converges in tens).
constexpr int kMaxPricingRounds = 500;
// A reduced cost or dual (in circuits of demand) this far from zero pins its column or row.
constexpr double kFaceTolerance = 1e-7;

// Components of the graph on `blocks` whose edges are the pairs with a positive total.
std::vector<int> components(const PairIndex& pairs, const std::vector<double>& totals) {
  std::vector<int> parent(static_cast<std::size_t>(pairs.blocks()));
  std::iota(parent.begin(), parent.end(), 0);
  const auto find = [&](int v) {
    while (parent[static_cast<std::size_t>(v)] != v) {
      parent[static_cast<std::size_t>(v)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
      v = parent[static_cast<std::size_t>(v)];
    }
    return v;
  };
  for (int p = 0; p < pairs.count(); ++p) {
    if (totals[static_cast<std::size_t>(p)] > 0.5) {
      parent[static_cast<std::size_t>(find(pairs.first(p)))] = find(pairs.second(p));
    }
  }
  std::vector<int> label(parent.size());
  for (int v = 0; v < pairs.blocks(); ++v) label[static_cast<std::size_t>(v)] = find(v);
  return label;
}

}  // namespace

BlockProgram::BlockProgram(const PlanInput& in, std::vector<OcsClass> classes)
    : in_(in), classes_(std::move(classes)) {
  const PairIndex& pairs = in.pairs;
  const int n = pairs.blocks();
  x_.resize(static_cast<std::size_t>(pairs.count()));
  // degree[i][c]: the x columns of block i on class c.
  std::vector<std::vector<std::vector<LinearProgram::Term>>> degree(
      static_cast<std::size_t>(n), std::vector<std::vector<LinearProgram::Term>>(classes_.size()));
  for (int p = 0; p < pairs.count(); ++p) {
    const int i = pairs.first(p);
    const int j = pairs.second(p);
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      int cap = 0;
      for (const int o : classes_[c].members) cap += std::min(in.ports.working(o, i), in.ports.working(o, j));
      if (cap == 0) continue;
      const int col = base_.add_column(0, cap, 0, true);
      x_[static_cast<std::size_t>(p)].emplace_back(static_cast<int>(c), col);
      degree[static_cast<std::size_t>(i)][c].push_back({col, 1.0});
      degree[static_cast<std::size_t>(j)][c].push_back({col, 1.0});
    }
  }
  for (int i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      const auto& terms = degree[static_cast<std::size_t>(i)][c];
      if (!terms.empty()) base_.add_row(-kInfinity, classes_[c].capacity[static_cast<std::size_t>(i)], terms);
    }
  }
  const auto pair_terms = [&](int p, double coef) {
    std::vector<LinearProgram::Term> terms;
    for (const auto& [c, col] : x_[static_cast<std::size_t>(p)]) terms.push_back({col, coef});
    return terms;
  };

  // Direct service: runs of circuits with equal marginal gain (direct_gain.h), together at
  // most the pair's circuits.
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s != t) total_demand_ += in.circuits_of_demand(s, t);
    }
  }
  for (int p = 0; p < pairs.count(); ++p) {
    if (x_[static_cast<std::size_t>(p)].empty()) continue;
    const int i = pairs.first(p);
    const int j = pairs.second(p);
    int cap = 0;
    for (const auto& [c, col] : x_[static_cast<std::size_t>(p)]) cap += static_cast<int>(base_.upper(col));
    auto terms = pair_terms(p, -1.0);
    for (const GainRun& run : direct_gain_runs(in.circuits_of_demand(i, j), in.circuits_of_demand(j, i), cap)) {
      const int g = base_.add_column(0, run.circuits, 0);
      gain_.push_back({g, run.gain});
      terms.push_back({g, 1.0});
    }
    if (terms.size() > x_[static_cast<std::size_t>(p)].size()) base_.add_row(-kInfinity, 0, terms);
  }

  const PlanSettings& st = in.settings;
  if (st.min_pair_circuits > 0) {
    for (int p = 0; p < pairs.count(); ++p) base_.add_row(st.min_pair_circuits, kInfinity, pair_terms(p, 1.0));
  }
  for (int i = 0; i < n; ++i) {
    const int need = static_cast<int>(std::ceil(st.min_capacity * in.base_degree[static_cast<std::size_t>(i)] - 1e-9));
    if (need <= 0) continue;
    std::vector<LinearProgram::Term> terms;
    for (const auto& list : degree[static_cast<std::size_t>(i)]) terms.insert(terms.end(), list.begin(), list.end());
    base_.add_row(need, kInfinity, terms);
  }
  if (in.has_current) {
    std::vector<LinearProgram::Term> sum;
    for (int p = 0; p < pairs.count(); ++p) {
      for (const auto& [c, col] : x_[static_cast<std::size_t>(p)]) {
        int cur = 0;
        for (const int o : classes_[static_cast<std::size_t>(c)].members) {
          cur += in.current_counts[static_cast<std::size_t>(o)][static_cast<std::size_t>(p)];
        }
        const int e = base_.add_column(0, kInfinity, 0);
        churn_.push_back(e);
        base_.add_row(-cur, kInfinity, {{e, 1.0}, {col, -1.0}});
        base_.add_row(cur, kInfinity, {{e, 1.0}, {col, 1.0}});
        sum.push_back({e, 1.0});
      }
    }
    if (st.max_churn) base_.add_row(-kInfinity, *st.max_churn, sum);
  }
}

std::vector<double> BlockProgram::pair_totals(const std::vector<double>& values) const {
  std::vector<double> totals(x_.size(), 0.0);
  for (std::size_t p = 0; p < x_.size(); ++p) {
    for (const auto& [c, col] : x_[p]) totals[p] += values[static_cast<std::size_t>(col)];
  }
  return totals;
}

ClassCounts BlockProgram::counts_of(const std::vector<double>& values) const {
  ClassCounts counts(classes_.size(), std::vector<int>(x_.size(), 0));
  for (std::size_t p = 0; p < x_.size(); ++p) {
    for (const auto& [c, col] : x_[p]) {
      counts[static_cast<std::size_t>(c)][p] = static_cast<int>(std::lround(values[static_cast<std::size_t>(col)]));
    }
  }
  return counts;
}

std::vector<LinearProgram::Term> BlockProgram::direct_terms() const {
  std::vector<LinearProgram::Term> terms;
  for (const auto& [g, gain] : gain_) terms.push_back({g, gain / total_demand_});
  return terms;
}

void BlockProgram::hold_optimum(LinearProgram& lp) const {
  LP_ENFORCE(direct_.has_value(), "phase 1 (max_direct) must run first");
  if (!on_face_) {
    hold_direct(lp);
    return;
  }
  for (const auto& [col, value] : face_columns_) lp.set_bounds(col, value, value);
  for (const auto& [row, value] : face_rows_) lp.set_row_bounds(row, value, value);
}

void BlockProgram::hold_direct(LinearProgram& lp) const {
  LP_ENFORCE(direct_.has_value(), "phase 1 (max_direct) must run first");
  if (total_demand_ > 0) lp.add_row(*direct_ - kHoldTolerance, kInfinity, direct_terms());
}

Outcome BlockProgram::solve_connected(LinearProgram& lp) {
  for (int round = 0;; ++round) {
    const Outcome outcome = lp.solve();
    if (!has_solution(outcome)) return outcome;
    const std::vector<int> label = components(in_.pairs, pair_totals(lp.values()));
    std::vector<int> roots = label;
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    if (roots.size() <= 1) {
      solution_ = lp.values();
      return outcome;
    }
    LP_ENFORCE(round <= in_.pairs.blocks(), "connectivity cuts did not converge");
    for (const int root : roots) {
      std::vector<LinearProgram::Term> cut;
      for (int p = 0; p < in_.pairs.count(); ++p) {
        const bool a = label[static_cast<std::size_t>(in_.pairs.first(p))] == root;
        const bool b = label[static_cast<std::size_t>(in_.pairs.second(p))] == root;
        if (a == b) continue;
        for (const auto& [c, col] : x_[static_cast<std::size_t>(p)]) cut.push_back({col, 1.0});
      }
      lp.add_row(1, kInfinity, cut);
      base_.add_row(1, kInfinity, cut);
    }
  }
}

double BlockProgram::circuits() const {
  double ports = 0;
  for (int i = 0; i < in_.pairs.blocks(); ++i) ports += in_.ports.uplinks(i);
  return std::max(1.0, ports / 2);
}

void BlockProgram::set_objective(LinearProgram& lp, const std::vector<LinearProgram::Term>& terms,
                                 double range) const {
  // F stays in the objective next to a phase's own goal, the goal weighing kGoalWeight over
  // its whole range: F is held by its row, and with F in the objective branch and bound keeps
  // to the F-optimal face and closes far sooner than on the goal alone.
  const double weight = range > 0 ? kGoalWeight / range : 0.0;
  lp.set_sense(LinearProgram::Sense::kMaximize);
  lp.clear_costs();
  if (total_demand_ > 0) {
    for (const auto& [g, gain] : gain_) lp.set_cost(g, gain / total_demand_);
  }
  for (const auto& [col, coef] : terms) lp.set_cost(col, coef * weight);
}

std::optional<double> BlockProgram::max_direct() {
  // Objective in circuits of demand served (F times the total): values the solvers handle well.
  LinearProgram lp = base_;
  for (const auto& [g, gain] : gain_) lp.set_cost(g, gain);
  lp.node_limit(direct_nodes_);
  direct_outcome_ = solve_connected(lp);
  if (!has_solution(direct_outcome_)) return std::nullopt;
  direct_ = total_demand_ > 0 ? lp.objective() / total_demand_ : 1.0;

  // The linear relaxation (with the cuts now in base_) bounds F. When the integer optimum
  // reaches it, every topology on the relaxation's optimal face has the optimal F, and the
  // face is described by bounds alone (complementary slackness): a column with a nonzero
  // reduced cost stays where the relaxation has it, a row with a nonzero dual stays tight.
  // Later phases then hold F by those bounds instead of a dense row.
  LinearProgram relaxed = base_;
  for (const auto& [g, gain] : gain_) relaxed.set_cost(g, gain);
  const Outcome outcome = relaxed.solve(true);
  LP_ENFORCE(outcome == Outcome::kOptimal, "direct fraction bound: {}", to_string(outcome));
  bound_ = total_demand_ > 0 ? std::min(1.0, relaxed.objective() / total_demand_) : 1.0;
  on_face_ = *direct_ >= bound_ - kHoldTolerance;
  face_columns_.clear();
  face_rows_.clear();
  if (on_face_) {
    for (int c = 0; c < relaxed.columns(); ++c) {
      if (std::abs(relaxed.reduced_cost(c)) > kFaceTolerance) face_columns_.emplace_back(c, std::round(relaxed.value(c)));
    }
    for (int r = 0; r < relaxed.rows(); ++r) {
      if (std::abs(relaxed.dual(r)) > kFaceTolerance) face_rows_.emplace_back(r, std::round(relaxed.activity(r)));
    }
  }
  return direct_;
}

double BlockProgram::direct_bound() const {
  LP_ENFORCE(direct_.has_value(), "phase 1 (max_direct) must run first");
  return bound_;
}


std::vector<double> BlockProgram::normalized_demand() const {
  const PairIndex& pairs = in_.pairs;
  const int n = pairs.blocks();
  std::vector<double> want(static_cast<std::size_t>(n * n), 0.0);
  double peak = 0;
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      if (s == t) continue;
      const bool possible = !x_[static_cast<std::size_t>(pairs.index(s, t))].empty();
      const double d = total_demand_ > 0 ? in_.circuits_of_demand(s, t) : (possible ? 1.0 : 0.0);
      want[static_cast<std::size_t>(s * n + t)] = d;
      peak = std::max(peak, d);
    }
  }
  if (peak == 0) return {};
  for (double& d : want) d /= peak;
  return want;
}

int BlockProgram::add_flows(LinearProgram& lp) const {
  const PairIndex& pairs = in_.pairs;
  const int n = pairs.blocks();
  const auto possible = [&](int i, int j) { return !x_[static_cast<std::size_t>(pairs.index(i, j))].empty(); };
  const std::vector<double> want = normalized_demand();
  if (want.empty()) return -1;

  const int lambda = lp.add_column(0, kInfinity, 0);
  std::vector<std::vector<LinearProgram::Term>> link(static_cast<std::size_t>(n * n));
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      const double d = want[static_cast<std::size_t>(s * n + t)];
      if (d <= 0) continue;
      std::vector<LinearProgram::Term> paths;
      if (possible(s, t)) {
        const int f = lp.add_column(0, kInfinity, 0);
        paths.push_back({f, 1.0});
        link[static_cast<std::size_t>(s * n + t)].push_back({f, 1.0});
      }
      for (int k = 0; k < n; ++k) {
        if (k == s || k == t || !possible(s, k) || !possible(k, t)) continue;
        const int f = lp.add_column(0, kInfinity, 0);
        paths.push_back({f, 1.0});
        link[static_cast<std::size_t>(s * n + k)].push_back({f, 1.0});
        link[static_cast<std::size_t>(k * n + t)].push_back({f, 1.0});
      }
      if (paths.empty()) continue;  // no path at all: left to the warnings, not the scaling
      paths.push_back({lambda, -d});
      lp.add_row(0, 0, paths);
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      auto& terms = link[static_cast<std::size_t>(i * n + j)];
      if (terms.empty()) continue;
      for (const auto& [c, col] : x_[static_cast<std::size_t>(pairs.index(i, j))]) terms.push_back({col, -1.0});
      lp.add_row(-kInfinity, 0, terms);
    }
  }
  return lambda;
}

std::vector<double> BlockProgram::mlu_capacities() {
  // Column generation: the flows start on direct paths only; each round prices every
  // one-transit path with the row duals and adds, per demand, the one that helps most, until
  // none does. The optimum is the full program's, over a small share of its paths.
  const PairIndex& pairs = in_.pairs;
  const int n = pairs.blocks();
  const auto possible = [&](int i, int j) { return !x_[static_cast<std::size_t>(pairs.index(i, j))].empty(); };
  struct Want {
    int s, t, row;
  };
  std::vector<Want> wants;
  const std::vector<double> want = normalized_demand();
  if (want.empty()) return pair_totals(solution_);

  LinearProgram lp = base_;
  hold_optimum(lp);
  lp.clear_costs();
  lp.set_sense(LinearProgram::Sense::kMinimize);
  const int lambda = lp.add_column(0, kInfinity, -1.0);
  std::vector<int> link_row(static_cast<std::size_t>(n * n), -1);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j || !possible(i, j)) continue;
      std::vector<LinearProgram::Term> terms;
      for (const auto& [c, col] : x_[static_cast<std::size_t>(pairs.index(i, j))]) terms.push_back({col, -1.0});
      link_row[static_cast<std::size_t>(i * n + j)] = lp.add_row(-kInfinity, 0, terms);
    }
  }
  const auto transit = [&](int s, int k, int t) { return k != s && k != t && possible(s, k) && possible(k, t); };
  for (int s = 0; s < n; ++s) {
    for (int t = 0; t < n; ++t) {
      const double d = want[static_cast<std::size_t>(s * n + t)];
      if (d <= 0) continue;
      bool any = possible(s, t);
      for (int k = 0; k < n && !any; ++k) any = transit(s, k, t);
      if (!any) continue;  // no path at all: left to the warnings, not the scaling
      wants.push_back({s, t, lp.add_row(0, 0, {{lambda, -d}})});
    }
  }
  LpSession session(lp);
  std::vector<char> present(static_cast<std::size_t>(n) * static_cast<std::size_t>(n) * static_cast<std::size_t>(n + 1), 0);
  const auto add_path = [&](const Want& w, int k) {  // k == n: the direct path
    present[(static_cast<std::size_t>(w.s) * static_cast<std::size_t>(n) + static_cast<std::size_t>(w.t)) * static_cast<std::size_t>(n + 1) + static_cast<std::size_t>(k)] = 1;
    std::vector<LinearProgram::Term> rows{{w.row, 1.0}};
    if (k == n) {
      rows.push_back({link_row[static_cast<std::size_t>(w.s * n + w.t)], 1.0});
    } else {
      rows.push_back({link_row[static_cast<std::size_t>(w.s * n + k)], 1.0});
      rows.push_back({link_row[static_cast<std::size_t>(k * n + w.t)], 1.0});
    }
    session.add_column(0, kInfinity, 0, rows);
  };
  const auto has = [&](const Want& w, int k) {
    return present[(static_cast<std::size_t>(w.s) * static_cast<std::size_t>(n) + static_cast<std::size_t>(w.t)) * static_cast<std::size_t>(n + 1) + static_cast<std::size_t>(k)] != 0;
  };
  for (const Want& w : wants) {
    if (possible(w.s, w.t)) {
      add_path(w, n);
      continue;
    }
    for (int k = 0; k < n; ++k) {
      if (transit(w.s, k, w.t)) {
        add_path(w, k);
        break;
      }
    }
  }
  for (int round = 0;; ++round) {
    const Outcome outcome = session.solve();
    LP_ENFORCE(outcome == Outcome::kOptimal, "MLU capacities LP: {}", to_string(outcome));
    const auto y = [&](int i, int j) { return session.dual(link_row[static_cast<std::size_t>(i * n + j)]); };
    int added = 0;
    for (const Want& w : wants) {
      const double base = session.dual(w.row);
      double best = -kPriceTolerance;
      int pick = -1;
      if (possible(w.s, w.t) && !has(w, n) && -(base + y(w.s, w.t)) < best) {
        best = -(base + y(w.s, w.t));
        pick = n;
      }
      for (int k = 0; k < n; ++k) {
        if (!transit(w.s, k, w.t) || has(w, k)) continue;
        const double rc = -(base + y(w.s, k) + y(k, w.t));
        if (rc < best) {
          best = rc;
          pick = k;
        }
      }
      if (pick >= 0) {
        add_path(w, pick);
        ++added;
      }
    }
    if (added == 0) break;
    LP_ENFORCE(round < kMaxPricingRounds, "MLU capacities: column generation did not converge");
    // As in mlu.cc: every demand also gets its least used path below the bottleneck.
    std::vector<double> use(static_cast<std::size_t>(n * n), kInfinity);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        const int r = link_row[static_cast<std::size_t>(i * n + j)];
        if (r < 0) continue;
        double capacity = 0;
        for (const auto& [c, col] : x_[static_cast<std::size_t>(pairs.index(i, j))]) capacity += session.value(col);
        if (capacity > 1e-9) use[static_cast<std::size_t>(i * n + j)] = (session.activity(r) + capacity) / capacity;
      }
    }
    for (const Want& w : wants) {
      int pick = -1;
      double least = 1 - kSpreadMargin;
      for (int k = 0; k < n; ++k) {
        if (!transit(w.s, k, w.t) || has(w, k)) continue;
        const double busiest = std::max(use[static_cast<std::size_t>(w.s * n + k)], use[static_cast<std::size_t>(k * n + w.t)]);
        if (busiest < least) {
          least = busiest;
          pick = k;
        }
      }
      if (pick >= 0) add_path(w, pick);
    }
  }
  std::vector<double> totals(x_.size(), 0.0);
  for (std::size_t p = 0; p < x_.size(); ++p) {
    for (const auto& [c, col] : x_[p]) totals[p] += session.value(col);
  }
  return totals;
}

std::optional<double> BlockProgram::max_concurrent() {
  LinearProgram lp = base_;
  hold_optimum(lp);
  const int lambda = add_flows(lp);
  if (lambda < 0) return std::nullopt;
  set_objective(lp, {{lambda, 1.0}}, 0.0);
  lp.set_cost(lambda, 1.0);
  const Outcome relaxed = lp.solve(true);
  LP_ENFORCE(relaxed == Outcome::kOptimal, "exact MLU program, relaxed: {}", to_string(relaxed));
  set_objective(lp, {{lambda, 1.0 / std::max(lp.value(lambda), 1e-12)}}, 1.0);
  lp.node_limit(kExactGoalNodes);
  concurrent_outcome_ = solve_connected(lp);
  // No integer solution within the node limit: phase 1's topology stands, lambda unheld.
  if (!has_solution(concurrent_outcome_)) return std::nullopt;
  return lp.value(lambda);
}

std::vector<LinearProgram::Term> BlockProgram::rounding_terms(const std::vector<double>& capacities,
                                                              LinearProgram& lp) const {
  double ports = 0;
  for (int i = 0; i < in_.pairs.blocks(); ++i) ports += in_.ports.uplinks(i);
  const double spare = 1.0 / (1.0 + ports);  // all spare circuits together weigh under one circuit
  std::vector<LinearProgram::Term> terms;
  for (std::size_t p = 0; p < x_.size(); ++p) {
    if (x_[p].empty()) continue;
    const int m = lp.add_column(0, std::max(0.0, capacities[p]), 0);
    terms.push_back({m, 1.0});
    std::vector<LinearProgram::Term> row{{m, 1.0}};
    for (const auto& [c, col] : x_[p]) {
      row.push_back({col, -1.0});
      terms.push_back({col, spare});
    }
    lp.add_row(-kInfinity, 0, row);
  }
  return terms;
}

ClassCounts BlockProgram::round_to(const std::vector<double>& capacities) {
  LinearProgram lp = base_;
  hold_optimum(lp);
  lp.clear_costs();
  for (const auto& [col, coef] : rounding_terms(capacities, lp)) lp.set_cost(col, coef);
  const Outcome outcome = solve_connected(lp);
  LP_ENFORCE(has_solution(outcome), "rounding to the MLU capacities: {}", to_string(outcome));
  return counts_of(solution_);
}

ClassCounts BlockProgram::near_current() {
  LP_ENFORCE(in_.has_current, "near_current needs a current configuration");
  LinearProgram lp = base_;
  hold_optimum(lp);
  std::vector<LinearProgram::Term> terms;
  for (const int e : churn_) terms.push_back({e, -1.0});
  set_objective(lp, terms, 2.0 * circuits());
  const Outcome outcome = solve_connected(lp);
  LP_ENFORCE(has_solution(outcome), "least churn program: {}", to_string(outcome));
  return counts_of(solution_);
}

ClassCounts BlockProgram::settle(std::optional<double> lambda, double slack) {
  LinearProgram lp = base_;
  hold_optimum(lp);
  if (lambda) {
    const int col = add_flows(lp);
    lp.add_row(*lambda * (1 - kHoldTolerance) / (1 + slack), kInfinity, {{col, 1.0}});
  }
  std::vector<LinearProgram::Term> terms;
  if (in_.has_current) {
    for (const int e : churn_) terms.push_back({e, -1.0});
  } else {
    for (const auto& pair : x_) {
      for (const auto& [c, col] : pair) terms.push_back({col, 1.0});
    }
  }
  set_objective(lp, terms, 2.0 * circuits());
  lp.node_limit(kExactGoalNodes);
  settle_outcome_ = solve_connected(lp);
  return counts_of(solution_);  // the last phase's topology when this one found none
}

}  // namespace lp::ocs
