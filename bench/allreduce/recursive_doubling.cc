// rd: recursive doubling. log2(n) rounds; in each, partners a power of two apart swap their
// whole vectors and both reduce. Fewest rounds of any algorithm, so it wins where latency
// dominates (small vectors); every round moves the whole vector, so it loses on large ones.
#include "bench/allreduce/algorithms.h"
#include "bench/allreduce/fold.h"
#include "bench/allreduce/rd_put.h"

#include <cmath>

namespace lp::bench::allreduce {
namespace {

constexpr Tag kStepTag = 2;

class RdPlan final : public Plan {
 public:
  RdPlan(const Setup& s, const Job& job)
      : g_(*s.group), job_(job), fold_(Fold::make(g_.size(), g_.index())), tmp_(s.scratch, job.bytes()) {}

  void run() override {
    if (job_.count == 0) return;
    if (g_.size() == 1) return copy_if_out_of_place(job_);
    const std::size_t bytes = job_.bytes();
    if (fold_.role == Fold::kExtra) return run_extra(g_, job_, reqs_[0]);
    const void* cur = job_.send;
    if (fold_.role == Fold::kProxy) {
      fold_in(g_, job_, tmp_.data(), reqs_[0]);
      cur = job_.recv;
    }
    for (int mask = 1; mask < fold_.pof2; mask <<= 1) {
      const int partner = fold_.index_of(fold_.core ^ mask);
      g_.irecv(partner, kStepTag, tmp_.data(), bytes, reqs_[0]);
      g_.isend(partner, kStepTag, cur, bytes, reqs_[1]);
      g_.wait_all(reqs_, 2);
      job_.red(job_.recv, cur, tmp_.data(), job_.count);
      cur = job_.recv;
    }
    if (fold_.role == Fold::kProxy) unfold(g_, job_, reqs_[0]);
  }

 private:
  const Group& g_;
  Job job_;
  Fold fold_;
  ScratchRef tmp_;
  Request reqs_[2];
};

double rd_model(const Network& net, const Shape& shape, std::size_t bytes, const Pipeline&) {
  const Fold f = Fold::make(shape.ranks, 0);
  const double n = static_cast<double>(bytes);
  const double alpha = shape.hosts > 1 ? net.alpha_inter : net.alpha;
  // The driver's buffers are transport memory: with put, a power of two and a small
  // vector, rd puts.
  const double put = shape.hosts > 1 ? net.beta_put_inter : net.beta_put;
  const bool puts = put > 0 && f.extra == 0 && bytes <= kRdPutMaxBytes;
  const double beta = puts ? put : (shape.hosts > 1 ? net.beta_inter : net.beta);
  const double rounds = std::log2(static_cast<double>(f.pof2));
  double t = rounds * (alpha + n * beta + n * net.gamma);
  if (f.extra > 0) t += 2 * (alpha + n * beta) + n * net.gamma;
  return t;
}

// One-sided where the transport, the buffers and the rank count allow (rd_put.cc).
std::unique_ptr<Plan> rd_prepare(const Setup& s, const Job& job) {
  if (can_rd_put(s, job)) return prepare_rd_put(s, job);
  return std::make_unique<RdPlan>(s, job);
}

}  // namespace

const Algorithm kRecursiveDoubling = {
    "rd", "recursive doubling: log2(n) rounds of whole-vector swaps; for small vectors",
    rd_model, rd_prepare};

}  // namespace lp::bench::allreduce
