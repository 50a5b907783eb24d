// rabenseifner: recursive halving (a reduce-scatter: each round swaps half of the current
// range with a partner and reduces the kept half), then recursive doubling on the reduced
// pieces (an all-gather). 2 log2(n) rounds moving 2(n-1)/n of the vector: both few rounds
// and the least data. Any rank count (fold.h); any element count (ranges split as evenly
// as they go, pieces may be empty).
#include "bench/allreduce/algorithms.h"
#include "bench/allreduce/fold.h"
#include "bench/allreduce/partition.h"

#include <cmath>

namespace lp::bench::allreduce {
namespace {

constexpr Tag kHalvingTag = 2;
constexpr Tag kDoublingTag = 3;

class RabenseifnerPlan final : public Plan {
 public:
  RabenseifnerPlan(const Setup& s, const Job& job)
      : g_(*s.group), job_(job), fold_(Fold::make(g_.size(), g_.index())), tmp_(s.scratch, job.bytes()) {}

  void run() override {
    if (job_.count == 0) return;
    if (g_.size() == 1) return copy_if_out_of_place(job_);
    const std::size_t e = job_.red.elem;
    if (fold_.role == Fold::kExtra) return run_extra(g_, job_, reqs_[0]);
    // Where this rank's current data is: the input until the first reduction, then recv.
    const unsigned char* cur = static_cast<const unsigned char*>(job_.send);
    unsigned char* out = static_cast<unsigned char*>(job_.recv);
    if (fold_.role == Fold::kProxy) {
      fold_in(g_, job_, tmp_.data(), reqs_[0]);
      cur = out;
    }
    // Recursive halving: keep the lower half when the mask bit is clear.
    Span range{0, job_.count};
    int step = 0;
    for (int mask = fold_.pof2 / 2; mask >= 1; mask /= 2, ++step) {
      const int partner = fold_.index_of(fold_.core ^ mask);
      const Span lower = part(range, 2, 0);
      const Span upper = part(range, 2, 1);
      const bool keep_lower = (fold_.core & mask) == 0;
      const Span keep = keep_lower ? lower : upper;
      const Span give = keep_lower ? upper : lower;
      ranges_[static_cast<std::size_t>(step)] = range;
      g_.irecv(partner, kHalvingTag, tmp_.data(), keep.count * e, reqs_[0]);
      g_.isend(partner, kHalvingTag, cur + give.offset * e, give.count * e, reqs_[1]);
      g_.wait_all(reqs_, 2);
      job_.red(out + keep.offset * e, cur + keep.offset * e, tmp_.data(), keep.count);
      cur = out;
      range = keep;
    }
    // Recursive doubling back up: swap reduced pieces, the parent ranges in reverse.
    for (int mask = 1; mask < fold_.pof2; mask *= 2) {
      --step;
      const int partner = fold_.index_of(fold_.core ^ mask);
      const Span parent = ranges_[static_cast<std::size_t>(step)];
      const bool have_lower = (fold_.core & mask) == 0;
      const Span other = part(parent, 2, have_lower ? 1 : 0);
      g_.irecv(partner, kDoublingTag, out + other.offset * e, other.count * e, reqs_[0]);
      g_.isend(partner, kDoublingTag, out + range.offset * e, range.count * e, reqs_[1]);
      g_.wait_all(reqs_, 2);
      range = parent;
    }
    if (fold_.role == Fold::kProxy) unfold(g_, job_, reqs_[0]);
  }

 private:
  const Group& g_;
  Job job_;
  Fold fold_;
  ScratchRef tmp_;
  Span ranges_[32];  // the range before each halving round (log2 of any rank count fits)
  Request reqs_[2];
};

double rabenseifner_model(const Network& net, const Shape& shape, std::size_t bytes,
                          const Pipeline&) {
  const Fold f = Fold::make(shape.ranks, 0);
  const double n = static_cast<double>(bytes);
  const double p = static_cast<double>(f.pof2);
  const double alpha = shape.hosts > 1 ? net.alpha_inter : net.alpha;
  const double beta = shape.hosts > 1 ? net.beta_inter : net.beta;
  double t = 2 * std::log2(p) * alpha + 2 * (p - 1) / p * n * beta + (p - 1) / p * n * net.gamma;
  if (f.extra > 0) t += 2 * (alpha + n * beta) + n * net.gamma;
  return t;
}

std::unique_ptr<Plan> rabenseifner_prepare(const Setup& s, const Job& job) {
  return std::make_unique<RabenseifnerPlan>(s, job);
}

}  // namespace

const Algorithm kRabenseifner = {
    "rabenseifner",
    "recursive halving then doubling: 2 log2(n) rounds, 2(n-1)/n of the vector moved",
    rabenseifner_model, rabenseifner_prepare};

}  // namespace lp::bench::allreduce
