// tree: pipelined double binary tree. Half the vector is reduced up one in-order binary tree
// and broadcast back down it; the other half goes through the same tree shifted by one
// member, in which (about) every interior member of the first is a leaf. Both trees run at
// once, chunk by chunk, so each member sends and receives about as much as in a ring while
// the latency grows with log2(n) instead of n.
#include "bench/allreduce/algorithms.h"
#include "bench/allreduce/tree_pipeline.h"

#include <cmath>

namespace lp::bench::allreduce {
namespace {

class TreePlan final : public Plan {
 public:
  TreePlan(const Setup& s, const Job& job)
      : g_(*s.group), job_(job), pipeline_(*s.group, job, parts(s.group->size(), job.count),
                                           TreePipeline::Mode::kAllreduce, s.pipeline, 0, s.scratch) {}

  void run() override {
    if (job_.count == 0) return;
    if (g_.size() == 1) return copy_if_out_of_place(job_);
    pipeline_.run();
  }

 private:
  static std::vector<TreePipeline::Part> parts(int n, std::size_t count) {
    const Tree first = inorder_tree(n);
    return {{first, part(count, 2, 0)}, {shifted_tree(first, 1), part(count, 2, 1)}};
  }

  const Group& g_;
  Job job_;
  TreePipeline pipeline_;
};

double tree_model(const Network& net, const Shape& shape, std::size_t bytes, const Pipeline& p) {
  const double alpha = shape.hosts > 1 ? net.alpha_inter : net.alpha;
  const double beta = shape.hosts > 1 ? net.beta_inter : net.beta;
  const double depth = std::ceil(std::log2(static_cast<double>(shape.ranks) + 1));
  const std::size_t half = bytes / 2;
  const double chunks = static_cast<double>(chunks_for(half, 1, p.chunk_bytes));
  const double chunk = static_cast<double>(half) / chunks;
  // Each pipeline step an interior member takes two chunks in and sends one up, down and
  // across; the pipeline fills in `depth` steps each way.
  return 2 * (depth - 1 + chunks) * (alpha + chunk * (2 * beta + net.gamma));
}

std::unique_ptr<Plan> tree_prepare(const Setup& s, const Job& job) {
  return std::make_unique<TreePlan>(s, job);
}

}  // namespace

const Algorithm kDoubleTree = {
    "tree", "pipelined double binary tree: log2(n) latency, half the vector per tree",
    tree_model, tree_prepare};

}  // namespace lp::bench::allreduce
