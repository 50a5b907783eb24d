// Linear and integer programs for the planner, solved by COIN-OR: CLP's dual simplex for
// linear programs, CBC's standard driver (presolve, cuts, heuristics, branch and bound) for
// integer ones. A program is built a column and a row at a time; solve() hands it over whole.
// Integer programs stop on a node count, never on a clock, so a result never depends on the
// speed of the machine (proposals must be byte-identical from run to run).
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

class ClpSimplex;

namespace lp::ocs {

inline constexpr double kInfinity = std::numeric_limits<double>::max();

// Column generation over paths (the MLU program and the block program): a path joins when its
// reduced cost is below minus kPriceTolerance, and a least-used path joins when its busiest
// link is kSpreadMargin (relative) below the bottleneck.
inline constexpr double kPriceTolerance = 1e-7;
inline constexpr double kSpreadMargin = 1e-3;

enum class Outcome {
  kOptimal,     // proven optimal (an LP: optimal basis; an IP: branch and bound closed)
  kStopped,     // an IP reached its node limit holding a feasible, unproven solution
  kInfeasible,
  kUnbounded,
  kFailed,      // the solver gave up (numerical trouble) or an IP found nothing in its limit
};
std::string to_string(Outcome outcome);
inline bool has_solution(Outcome o) { return o == Outcome::kOptimal || o == Outcome::kStopped; }

class LinearProgram {
 public:
  enum class Sense { kMinimize, kMaximize };
  struct Term {
    int column;
    double coef;
  };

  explicit LinearProgram(Sense sense) : sense_(sense) {}

  int add_column(double lower, double upper, double cost, bool integer = false);
  int add_row(double lower, double upper, const std::vector<Term>& terms);
  void set_cost(int column, double cost) { cost_[static_cast<std::size_t>(column)] = cost; }
  void set_bounds(int column, double lower, double upper);
  void set_row_bounds(int row, double lower, double upper);
  void set_sense(Sense sense) { sense_ = sense; }
  void clear_costs();

  int columns() const { return static_cast<int>(cost_.size()); }
  double upper(int column) const { return upper_[static_cast<std::size_t>(column)]; }
  int rows() const { return static_cast<int>(row_lower_.size()); }
  int integer_columns() const;

  // Branch-and-bound nodes an integer program may use.
  LinearProgram& node_limit(int nodes) {
    node_limit_ = nodes;
    return *this;
  }

  // Solves; with `relax`, integer columns are treated as continuous.
  Outcome solve(bool relax = false);

  // After a solve with a solution: column values (integer columns rounded) and the objective.
  const std::vector<double>& values() const { return values_; }
  double value(int column) const { return values_[static_cast<std::size_t>(column)]; }
  double objective() const;
  // After a linear program's solve: reduced costs, row duals and row activities.
  double reduced_cost(int column) const { return reduced_[static_cast<std::size_t>(column)]; }
  double dual(int row) const { return duals_[static_cast<std::size_t>(row)]; }
  double activity(int row) const { return activities_[static_cast<std::size_t>(row)]; }

 private:
  Outcome solve_lp();
  Outcome solve_ip();

  Sense sense_;
  std::vector<double> lower_, upper_, cost_;
  std::vector<char> integer_;
  std::vector<double> row_lower_, row_upper_;
  std::vector<int> entry_row_, entry_col_;
  std::vector<double> entry_value_;
  int node_limit_ = 20000;
  std::vector<double> values_;
  std::vector<double> reduced_, duals_, activities_;

  friend class LpSession;
};

// A linear program kept loaded in CLP between solves, for column generation: columns are added
// (each naming its rows) and the program solved again from the last basis by the primal simplex.
class LpSession {
 public:
  explicit LpSession(const LinearProgram& lp);  // integer columns taken as continuous
  ~LpSession();
  LpSession(const LpSession&) = delete;
  LpSession& operator=(const LpSession&) = delete;

  // Terms name rows. Returns the new column's index; it joins the program at the next solve().
  int add_column(double lower, double upper, double cost, const std::vector<LinearProgram::Term>& rows);
  Outcome solve();
  double value(int column) const;
  // Row duals y of the last solve: a column's reduced cost is its cost minus the sum of its
  // coefficients times y (for a minimization; a column with a negative one improves it).
  double dual(int row) const;
  // Row activities (the rows' left-hand sides) of the last solve.
  double activity(int row) const;

 private:
  void flush();

  std::unique_ptr<ClpSimplex> clp_;
  int columns_ = 0;
  std::vector<double> lower_, upper_, cost_, element_;
  std::vector<int> start_{0}, row_;
};

}  // namespace lp::ocs
