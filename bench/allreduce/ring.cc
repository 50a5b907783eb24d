// ring: reduce-scatter then all-gather around a ring, each in n-1 steps of one block (1/n of
// the vector). Bandwidth-optimal: every rank sends 2(n-1)/n of the vector, whatever n is.
//
// Pipelined: a block is cut into chunks, and every chunk moves on as soon as it can, so
// reducing one chunk overlaps receiving the next. A chunk reduced at step s of the
// reduce-scatter is sent at once as step s+1 (or, the last step, as the first all-gather
// step), while it is still in cache; an all-gather chunk is forwarded as soon as it lands.
// Each step has its own tag; chunks of a step travel in order. Nothing is copied that need
// not be: the first reduction reads the input in place, the all-gather receives straight
// into the output, and received partial sums wait in a few chunk-sized slots.
#include "bench/allreduce/algorithms.h"
#include "bench/allreduce/partition.h"
#include "bench/allreduce/ring_map.h"
#include "bench/allreduce/ring_put.h"

#include <algorithm>

namespace lp::bench::allreduce {
namespace {

class RingPlan final : public Plan {
 public:
  RingPlan(const Setup& s, const Job& job)
      : g_(*s.group), job_(job), steps_(g_.size() - 1),
        chunks_(chunks_for(largest_block(), job.red.elem, s.pipeline.chunk_bytes)),
        window_(std::min<std::size_t>(chunks_, static_cast<std::size_t>(std::max(s.pipeline.window, 1)))),
        slot_bytes_(part(largest_block(), chunks_, 0).count * job.red.elem),
        slots_(s.scratch, slot_bytes_ * window_) {
    const std::size_t stages = 2 * static_cast<std::size_t>(steps_);
    sends_.resize(stages * chunks_);
    recvs_.resize(stages * chunks_);
  }

  void run() override {
    if (job_.count == 0) return;
    if (g_.size() == 1) return copy_if_out_of_place(job_);
    const std::size_t total = 2 * static_cast<std::size_t>(steps_) * chunks_;
    // Step 0 of the reduce-scatter sends this rank's own block from the input, a window of
    // chunks ahead of what the right neighbour has been sent otherwise.
    for (std::size_t c = 0; c < window_; ++c) send_first(c);
    std::size_t posted = 0;
    for (; posted < window_ && posted < total; ++posted) post_recv(posted);
    for (std::size_t q = 0; q < total; ++q) {
      const std::size_t stage = q / chunks_;
      const std::size_t c = q % chunks_;
      g_.wait(recvs_[q]);
      const Span span = chunk(recv_block(stage), c);
      unsigned char* dst = job_.dst_at(span.offset);
      if (stage < static_cast<std::size_t>(steps_)) {
        // Partial sum from the left plus this rank's own contribution.
        job_.red(dst, job_.src_at(span.offset), slot(q), span.count);
      }
      if (stage == 0 && c + window_ < chunks_) send_first(c + window_);
      if (stage + 1 < 2 * static_cast<std::size_t>(steps_)) {
        g_.isend(right(), static_cast<Tag>(stage + 1), dst, bytes(span), send_req(stage + 1, c));
      }
      if (posted < total) post_recv(posted++);
    }
    g_.wait_all(sends_.data(), sends_.size());
  }

 private:
  std::size_t largest_block() const {
    return part(job_.count, static_cast<std::size_t>(g_.size()), 0).count;
  }
  int right() const { return (g_.index() + 1) % g_.size(); }
  int left() const { return (g_.index() + g_.size() - 1) % g_.size(); }
  std::size_t block_index(long long b) const {
    const long long n = g_.size();
    return static_cast<std::size_t>(((b % n) + n) % n);
  }
  // Reduce-scatter step s (stage s) receives block me-s-1; all-gather step j (stage
  // steps+j) receives block me-j. Each stage sends what the previous stage received.
  Span recv_block(std::size_t stage) const {
    const long long me = g_.index();
    const long long s = static_cast<long long>(stage);
    const long long b = stage < static_cast<std::size_t>(steps_) ? me - s - 1 : me - (s - steps_);
    return part(job_.count, static_cast<std::size_t>(g_.size()), block_index(b));
  }
  Span send_block(std::size_t stage) const {
    return stage == 0 ? part(job_.count, static_cast<std::size_t>(g_.size()),
                             static_cast<std::size_t>(g_.index()))
                      : recv_block(stage - 1);
  }
  Span chunk(Span block, std::size_t c) const { return part(block, chunks_, c); }
  std::size_t bytes(Span s) const { return s.count * job_.red.elem; }
  unsigned char* slot(std::size_t q) const { return slots_.data() + (q % window_) * slot_bytes_; }
  Request& send_req(std::size_t stage, std::size_t c) { return sends_[stage * chunks_ + c]; }

  void send_first(std::size_t c) {
    const Span span = chunk(send_block(0), c);
    g_.isend(right(), 0, job_.src_at(span.offset), bytes(span), send_req(0, c));
  }

  // Receive number q (stages in order, chunks in order within a stage): reduce-scatter
  // partial sums go to a slot, all-gather blocks straight into the output. An all-gather
  // receive overwrites a region this rank sent from earlier, so that send must be done.
  void post_recv(std::size_t q) {
    const std::size_t stage = q / chunks_;
    const std::size_t c = q % chunks_;
    const Span span = chunk(recv_block(stage), c);
    if (stage < static_cast<std::size_t>(steps_)) {
      g_.irecv(left(), static_cast<Tag>(stage), slot(q), bytes(span), recvs_[q]);
      return;
    }
    const std::size_t j = stage - steps_;
    if (j > 0 || job_.in_place()) g_.wait(send_req(j, c));
    g_.irecv(left(), static_cast<Tag>(stage), job_.dst_at(span.offset), bytes(span), recvs_[q]);
  }

  const Group& g_;
  Job job_;
  int steps_;
  std::size_t chunks_;
  std::size_t window_;
  std::size_t slot_bytes_;
  ScratchRef slots_;
  std::vector<Request> sends_;
  std::vector<Request> recvs_;
};

double ring_model(const Network& net, const Shape& shape, std::size_t bytes, const Pipeline& p) {
  const double n = static_cast<double>(bytes);
  const double r = static_cast<double>(shape.ranks);
  const double alpha = shape.hosts > 1 ? net.alpha_inter : net.alpha;
  const double beta = shape.hosts > 1 ? net.beta_inter : net.beta;
  const double chunks = static_cast<double>(
      chunks_for(bytes / static_cast<std::size_t>(shape.ranks), 1, p.chunk_bytes));
  // The driver's buffers are transport memory. Where peers' memory is mapped (one host), the
  // ring loads its neighbour's data in the reduction itself and copies each finished block
  // into the peers' outputs (ring_map.cc); where there is put, it puts. Either pays one more
  // message per call, the consent of its neighbours.
  if (shape.hosts == 1 && net.beta_map > 0) {
    return (2 * (r - 1) * chunks + 1) * alpha + (r - 1) / r * n * (net.gamma + net.beta_map);
  }
  const double put = shape.hosts > 1 ? net.beta_put_inter : net.beta_put;
  if (put > 0) {
    return (2 * (r - 1) * chunks + 1) * alpha + 2 * (r - 1) / r * n * put +
           (r - 1) / r * n * net.gamma;
  }
  return 2 * (r - 1) * chunks * alpha + 2 * (r - 1) / r * n * beta + (r - 1) / r * n * net.gamma;
}

// Mapped memory on one host (ring_map.cc), else one-sided puts where the transport and the
// buffers allow (ring_put.cc), else messages.
std::unique_ptr<Plan> ring_prepare(const Setup& s, const Job& job) {
  if (auto mapped = prepare_ring_map(s, job)) return mapped;
  if (can_put(s, job)) return prepare_ring_put(s, job);
  return std::make_unique<RingPlan>(s, job);
}

}  // namespace

const Algorithm kRing = {
    "ring", "reduce-scatter then all-gather around a ring, chunked and pipelined; for large vectors",
    ring_model, ring_prepare};

}  // namespace lp::bench::allreduce
