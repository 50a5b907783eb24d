#include "ocs/solver.h"

#include "core/error.h"

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <cmath>
#include <numeric>
#include <string>

namespace lp::ocs {
namespace {

CoinPackedMatrix column_matrix(int rows, int cols, const std::vector<int>& r,
                               const std::vector<int>& c, const std::vector<double>& v) {
  // Column-ordered, built with a counting sort on the column index.
  std::vector<int> start(static_cast<std::size_t>(cols) + 1, 0);
  for (const int col : c) ++start[static_cast<std::size_t>(col) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<int> index(r.size());
  std::vector<double> value(r.size());
  std::vector<int> fill(start.begin(), start.end() - 1);
  for (std::size_t k = 0; k < r.size(); ++k) {
    const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(c[k])]++);
    index[at] = r[k];
    value[at] = v[k];
  }
  std::vector<int> length(static_cast<std::size_t>(cols));
  for (std::size_t k = 0; k < length.size(); ++k) length[k] = start[k + 1] - start[k];
  return CoinPackedMatrix(true, rows, cols, static_cast<CoinBigIndex>(r.size()), value.data(),
                          index.data(), start.data(), length.data());
}

}  // namespace

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOptimal: return "optimal";
    case Outcome::kStopped: return "stopped at the node limit";
    case Outcome::kInfeasible: return "infeasible";
    case Outcome::kUnbounded: return "unbounded";
    case Outcome::kFailed: return "solver failure";
  }
  return "unknown";
}

int LinearProgram::add_column(double lower, double upper, double cost, bool integer) {
  lower_.push_back(lower);
  upper_.push_back(upper);
  cost_.push_back(cost);
  integer_.push_back(integer ? 1 : 0);
  return columns() - 1;
}

int LinearProgram::add_row(double lower, double upper, const std::vector<Term>& terms) {
  const int row = rows();
  row_lower_.push_back(lower == -kInfinity ? -COIN_DBL_MAX : lower);
  row_upper_.push_back(upper == kInfinity ? COIN_DBL_MAX : upper);
  for (const Term& t : terms) {
    LP_ENFORCE(t.column >= 0 && t.column < columns(), "row {} names column {}", row, t.column);
    if (t.coef == 0) continue;
    entry_row_.push_back(row);
    entry_col_.push_back(t.column);
    entry_value_.push_back(t.coef);
  }
  return row;
}

void LinearProgram::set_bounds(int column, double lower, double upper) {
  lower_[static_cast<std::size_t>(column)] = lower;
  upper_[static_cast<std::size_t>(column)] = upper;
}

void LinearProgram::set_row_bounds(int row, double lower, double upper) {
  row_lower_[static_cast<std::size_t>(row)] = lower == -kInfinity ? -COIN_DBL_MAX : lower;
  row_upper_[static_cast<std::size_t>(row)] = upper == kInfinity ? COIN_DBL_MAX : upper;
}

void LinearProgram::clear_costs() { std::fill(cost_.begin(), cost_.end(), 0.0); }

int LinearProgram::integer_columns() const {
  return static_cast<int>(std::count(integer_.begin(), integer_.end(), 1));
}

double LinearProgram::objective() const {
  double sum = 0;
  for (std::size_t k = 0; k < values_.size(); ++k) sum += cost_[k] * values_[k];
  return sum;
}

Outcome LinearProgram::solve(bool relax) {
  values_.clear();
  if (relax || integer_columns() == 0) return solve_lp();
  return solve_ip();
}

Outcome LinearProgram::solve_lp() {
  ClpSimplex clp;
  clp.setLogLevel(0);
  const CoinPackedMatrix m = column_matrix(rows(), columns(), entry_row_, entry_col_, entry_value_);
  clp.loadProblem(m, lower_.data(), upper_.data(), cost_.data(), row_lower_.data(), row_upper_.data());
  clp.setOptimizationDirection(sense_ == Sense::kMinimize ? 1 : -1);
  clp.dual();
  if (clp.status() != 0 && clp.status() != 1 && clp.status() != 2) clp.primal();  // numerical trouble
  switch (clp.status()) {
    case 0: break;
    case 1: return Outcome::kInfeasible;
    case 2: return Outcome::kUnbounded;
    default: return Outcome::kFailed;
  }
  values_.assign(clp.primalColumnSolution(), clp.primalColumnSolution() + columns());
  reduced_.assign(clp.dualColumnSolution(), clp.dualColumnSolution() + columns());
  duals_.assign(clp.dualRowSolution(), clp.dualRowSolution() + rows());
  activities_.assign(clp.primalRowSolution(), clp.primalRowSolution() + rows());
  return Outcome::kOptimal;
}

Outcome LinearProgram::solve_ip() {
  OsiClpSolverInterface si;
  si.messageHandler()->setLogLevel(0);
  const CoinPackedMatrix m = column_matrix(rows(), columns(), entry_row_, entry_col_, entry_value_);
  si.loadProblem(m, lower_.data(), upper_.data(), cost_.data(), row_lower_.data(), row_upper_.data());
  si.setObjSense(sense_ == Sense::kMinimize ? 1 : -1);
  for (int c = 0; c < columns(); ++c) {
    if (integer_[static_cast<std::size_t>(c)]) si.setInteger(c);
  }
  CbcModel model(si);
  model.setLogLevel(0);
  CbcSolverUsefulData data;
  CbcMain0(model, data);
  model.setLogLevel(0);
  const std::string nodes = std::to_string(node_limit_);
  const char* argv[] = {"lightpath", "-log", "0", "-slog", "0", "-maxNodes", nodes.c_str(), "-solve", "-quit"};
  CbcMain1(static_cast<int>(std::size(argv)), argv, model, [](CbcModel*, int) { return 0; }, data);
  if (model.isProvenInfeasible()) return Outcome::kInfeasible;
  const double* best = model.bestSolution();
  if (best == nullptr || model.getNumCols() != columns()) return Outcome::kFailed;
  values_.assign(best, best + columns());
  for (int c = 0; c < columns(); ++c) {
    if (integer_[static_cast<std::size_t>(c)]) values_[static_cast<std::size_t>(c)] = std::round(values_[static_cast<std::size_t>(c)]);
  }
  return model.isProvenOptimal() ? Outcome::kOptimal : Outcome::kStopped;
}

LpSession::LpSession(const LinearProgram& lp) : clp_(std::make_unique<ClpSimplex>()) {
  clp_->setLogLevel(0);
  const CoinPackedMatrix m = column_matrix(lp.rows(), lp.columns(), lp.entry_row_, lp.entry_col_, lp.entry_value_);
  clp_->loadProblem(m, lp.lower_.data(), lp.upper_.data(), lp.cost_.data(), lp.row_lower_.data(), lp.row_upper_.data());
  clp_->setOptimizationDirection(lp.sense_ == LinearProgram::Sense::kMinimize ? 1 : -1);
  columns_ = lp.columns();
}

LpSession::~LpSession() = default;

int LpSession::add_column(double lower, double upper, double cost, const std::vector<LinearProgram::Term>& rows) {
  lower_.push_back(lower);
  upper_.push_back(upper == kInfinity ? COIN_DBL_MAX : upper);
  cost_.push_back(cost);
  for (const LinearProgram::Term& t : rows) {
    row_.push_back(t.column);
    element_.push_back(t.coef);
  }
  start_.push_back(static_cast<int>(row_.size()));
  return columns_++;
}

void LpSession::flush() {
  if (lower_.empty()) return;
  clp_->addColumns(static_cast<int>(lower_.size()), lower_.data(), upper_.data(), cost_.data(), start_.data(),
                   row_.data(), element_.data());
  lower_.clear();
  upper_.clear();
  cost_.clear();
  element_.clear();
  row_.clear();
  start_.assign(1, 0);
}

Outcome LpSession::solve() {
  flush();
  clp_->primal(1);  // from the current basis
  switch (clp_->status()) {
    case 0: return Outcome::kOptimal;
    case 1: return Outcome::kInfeasible;
    case 2: return Outcome::kUnbounded;
    default: return Outcome::kFailed;
  }
}

double LpSession::value(int column) const { return clp_->primalColumnSolution()[column]; }
double LpSession::dual(int row) const { return clp_->dualRowSolution()[row]; }
double LpSession::activity(int row) const { return clp_->primalRowSolution()[row]; }

}  // namespace lp::ocs
