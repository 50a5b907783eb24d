// hier: two levels. The ranks of each host reduce to their host's leader (the host's first
// rank) up a pipelined binary tree; the leaders all-reduce among themselves (rabenseifner);
// each leader broadcasts the result back down its host's tree. Only one rank per host
// crosses the network, with the whole vector: fewer, larger inter-host messages.
// Hosts come from Setup::host_of (the host names of the ranks).
#include "bench/allreduce/algorithms.h"
#include "bench/allreduce/tree_pipeline.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace lp::bench::allreduce {
namespace {

// Tag slots of the two levels (the algorithm runs on the job's whole group, slot 0).
constexpr unsigned kLocalSlot = 1;
constexpr unsigned kLeaderSlot = 2;

std::vector<int> members_on_host(const Setup& s, int host) {
  std::vector<int> out;
  for (int i = 0; i < s.group->size(); ++i) {
    if (s.host_of[static_cast<std::size_t>(i)] == host) out.push_back(s.group->rank_of(i));
  }
  return out;
}

std::vector<int> leaders(const Setup& s) {
  std::vector<int> seen;
  std::vector<int> out;
  for (int i = 0; i < s.group->size(); ++i) {
    const int h = s.host_of[static_cast<std::size_t>(i)];
    if (std::find(seen.begin(), seen.end(), h) == seen.end()) {
      seen.push_back(h);
      out.push_back(s.group->rank_of(i));
    }
  }
  return out;
}

class HierPlan final : public Plan {
 public:
  HierPlan(const Setup& s, const Job& job)
      : job_(job),
        local_(s.group->transport(),
               members_on_host(s, s.host_of[static_cast<std::size_t>(s.group->index())]),
               kLocalSlot) {
    LP_ENFORCE_EQ(s.host_of.size(), static_cast<std::size_t>(s.group->size()), "hosts of members");
    const Tree tree = heap_tree(local_.size());
    const Span all{0, job.count};
    reduce_.emplace(local_, job, std::vector<TreePipeline::Part>{{tree, all}},
                    TreePipeline::Mode::kReduce, s.pipeline, 0, s.scratch);
    Job result = job;
    result.send = job.recv;
    broadcast_.emplace(local_, result, std::vector<TreePipeline::Part>{{tree, all}},
                       TreePipeline::Mode::kBroadcast, s.pipeline, 2, s.scratch);
    if (local_.index() == 0) {
      leaders_.emplace(s.group->transport(), leaders(s), kLeaderSlot);
      Setup inner = s;
      inner.group = &*leaders_;
      inner.host_of.assign(static_cast<std::size_t>(leaders_->size()), 0);
      across_ = kRabenseifner.prepare(inner, result);
    }
  }

  void run() override {
    if (job_.count == 0) return;
    reduce_->run();
    if (across_) across_->run();
    broadcast_->run();
  }

 private:
  Job job_;
  Group local_;
  std::optional<Group> leaders_;
  std::optional<TreePipeline> reduce_;
  std::optional<TreePipeline> broadcast_;
  std::unique_ptr<Plan> across_;
};

double hier_model(const Network& net, const Shape& shape, std::size_t bytes, const Pipeline& p) {
  const double depth = std::ceil(std::log2(static_cast<double>(shape.max_local) + 1));
  const double chunks = static_cast<double>(chunks_for(bytes, 1, p.chunk_bytes));
  const double chunk = static_cast<double>(bytes) / chunks;
  const double local = shape.max_local > 1
                           ? 2 * (depth - 1 + chunks) * (net.alpha + chunk * (2 * net.beta + net.gamma))
                           : 0.0;
  Shape across{shape.hosts, shape.hosts, 1};
  Network inter = net;
  inter.alpha = net.alpha_inter;
  inter.beta = net.beta_inter;
  return local + (shape.hosts > 1 ? kRabenseifner.model(inter, across, bytes, p) : 0.0);
}

std::unique_ptr<Plan> hier_prepare(const Setup& s, const Job& job) {
  return std::make_unique<HierPlan>(s, job);
}

}  // namespace

const Algorithm kHierarchical = {
    "hier", "reduce on each host to a leader, all-reduce across leaders, broadcast on each host",
    hier_model, hier_prepare};

}  // namespace lp::bench::allreduce
