// ring over one-sided puts: the schedule of ring.cc, but each rank writes its chunk straight
// into its right neighbour's output buffer (or, in place, a landing buffer) with put, then
// announces it with a one-byte message. Where the transport allocated the buffers (UCX on
// one host: shared memory) a put is a plain copy by the sender, where a two-sided
// rendezvous would be a kernel-assisted copy (CMA) by the receiver, several times slower.
// And nothing waits in a slot: the reduce-scatter's partial sum lands where its result goes
// (recv = send + recv), the all-gather's block lands in the neighbour's output directly.
//
// Writing into a neighbour's memory needs its consent: at the start of each call a rank
// tells its left neighbour it has entered the call (so its buffers may be overwritten) and
// waits for the same word from its right neighbour. Within a call every region is written
// once, and only after the neighbour has read what was there (the ring's causality). So plans
// that never run at once can share one landing buffer (Setup::landing).
#include "bench/allreduce/ring_put.h"

#include "bench/allreduce/partition.h"
#include "core/error.h"

#include <cstring>

namespace lp::bench::allreduce {
namespace {

constexpr Tag kClearTag = 0;   // "I have entered this call": sent to the left neighbour
constexpr Tag kPutKeysTag = 1;   // region keys, once when prepared
constexpr Tag kStageTag = 2;   // + stage: "chunk c of this stage has landed"
constexpr std::size_t kMaxPutKeys = 64 * 1024;

// What a rank tells its left neighbour once: where its recv buffer starts in its region,
// then the region's key and, in place, the landing buffer's key.
std::string pack_keys(std::uint64_t recv_offset, const transport::MemoryRegion& recv,
                      const transport::MemoryRegion* landing) {
  const std::string a = recv.pack();
  const std::string b = landing ? landing->pack() : std::string();
  const std::uint64_t head[3] = {recv_offset, a.size(), b.size()};
  std::string out(reinterpret_cast<const char*>(head), sizeof head);
  return out + a + b;
}

class RingPutPlan final : public Plan {
 public:
  RingPutPlan(const Setup& s, const Job& job)
      : g_(*s.group), t_(g_.transport()), job_(job), steps_(g_.size() - 1),
        chunks_(chunks_for(part(job.count, static_cast<std::size_t>(g_.size()), 0).count,
                           job.red.elem, s.pipeline.chunk_bytes)),
        lead_(static_cast<std::size_t>(std::max(s.pipeline.window, 1))) {
    const std::size_t stages = 2 * static_cast<std::size_t>(steps_);
    notes_in_.resize(stages * chunks_);
    notes_out_.resize(stages * chunks_);
    if (job.count == 0) return;
    send_offset_ = offset_in(job.send, *job.send_region, job.bytes());
    recv_offset_ = offset_in(job.recv, *job.recv_region, job.bytes());
    if (job.in_place()) {
      if (s.landing != nullptr && s.landing->size() >= job.bytes()) {
        landing_ = s.landing;
      } else {
        own_landing_ = t_.allocate_memory(job.bytes());
        landing_ = own_landing_.get();
      }
    }
    // Keys go left: a rank puts into its right neighbour only.
    const std::string mine = pack_keys(recv_offset_, *job.recv_region, landing_);
    std::string theirs(kMaxPutKeys, '\0');
    Request r[2];
    g_.irecv(right(), kPutKeysTag, theirs.data(), theirs.size(), r[0]);
    g_.isend(left(), kPutKeysTag, mine.data(), mine.size(), r[1]);
    g_.wait_all(r, 2);
    theirs.resize(r[0].bytes);
    std::uint64_t head[3];
    LP_ENFORCE_LE(sizeof head, theirs.size(), "region keys from rank {}", g_.rank_of(right()));
    std::memcpy(head, theirs.data(), sizeof head);
    LP_ENFORCE_EQ(sizeof head + head[1] + head[2], theirs.size(), "region keys");
    right_recv_offset_ = head[0];
    right_recv_ = t_.attach_remote(g_.rank_of(right()), theirs.substr(sizeof head, head[1]));
    if (head[2] > 0) {
      right_landing_ = t_.attach_remote(g_.rank_of(right()), theirs.substr(sizeof head + head[1], head[2]));
    }
  }

  std::string_view transfer() const override { return "put"; }

  void run() override {
    if (job_.count == 0) return;
    const std::size_t total = notes_in_.size();
    // Consent first: the right neighbour's buffers are free once it has entered the call.
    g_.irecv(right(), kClearTag, &clear_in_, 1, clear_[0]);
    g_.isend(left(), kClearTag, &clear_out_, 1, clear_[1]);
    for (std::size_t q = 0; q < total; ++q) {
      g_.irecv(left(), kStageTag + static_cast<Tag>(q / chunks_), &note_in_, 1, notes_in_[q]);
    }
    g_.wait(clear_[0]);
    std::size_t first_sent = 0;  // chunks of stage 0 put so far
    for (std::size_t q = 0; q < total; ++q) {
      const std::size_t stage = q / chunks_;
      const std::size_t c = q % chunks_;
      // Keep this rank's own contribution a few chunks ahead, and while waiting.
      while (first_sent < chunks_ && first_sent < (stage == 0 ? c : chunks_) + lead_) {
        put_chunk(0, first_sent++);
      }
      while (!g_.test(notes_in_[q])) {
        if (first_sent < chunks_) {
          put_chunk(0, first_sent++);
        } else {
          t_.idle();
        }
      }
      const Span span = chunk(recv_block(stage), c);
      if (stage < static_cast<std::size_t>(steps_)) {
        unsigned char* dst = job_.dst_at(span.offset);
        const unsigned char* incoming =
            landing_ ? static_cast<unsigned char*>(landing_->data()) + span.offset * job_.red.elem
                     : dst;
        job_.red(dst, job_.src_at(span.offset), incoming, span.count);
      }
      if (stage + 1 < 2 * static_cast<std::size_t>(steps_)) put_chunk(stage + 1, c);
    }
    while (first_sent < chunks_) put_chunk(0, first_sent++);
    g_.wait_all(notes_out_.data(), notes_out_.size());
    g_.wait(clear_[1]);
  }

 private:
  int right() const { return (g_.index() + 1) % g_.size(); }
  int left() const { return (g_.index() + g_.size() - 1) % g_.size(); }
  Span block(long long b) const {
    const long long n = g_.size();
    return part(job_.count, static_cast<std::size_t>(n), static_cast<std::size_t>(((b % n) + n) % n));
  }
  // As in ring.cc: reduce-scatter step s receives block me-s-1, all-gather step j block
  // me-j; each stage sends what the one before received.
  Span recv_block(std::size_t stage) const {
    const long long me = g_.index();
    const long long s = static_cast<long long>(stage);
    return block(stage < static_cast<std::size_t>(steps_) ? me - s - 1 : me - (s - steps_));
  }
  Span send_block(std::size_t stage) const {
    return stage == 0 ? block(g_.index()) : recv_block(stage - 1);
  }
  Span chunk(Span b, std::size_t c) const { return part(b, chunks_, c); }

  // Chunk c of `stage` into the right neighbour, then its announcement.
  void put_chunk(std::size_t stage, std::size_t c) {
    const Span span = chunk(send_block(stage), c);
    const std::size_t e = job_.red.elem;
    const std::size_t bytes = span.count * e;
    if (bytes > 0) {
      // Stage 0 reads the input; later stages what this rank reduced or received.
      const transport::MemoryRegion& from = stage == 0 ? *job_.send_region : *job_.recv_region;
      const std::size_t from_offset = (stage == 0 ? send_offset_ : recv_offset_) + span.offset * e;
      // The reduce-scatter (in place) lands beside the neighbour's data, the rest in place.
      const bool landing = stage < static_cast<std::size_t>(steps_) && right_landing_;
      transport::RemoteRegion& to = landing ? *right_landing_ : *right_recv_;
      const std::size_t to_offset = (landing ? 0 : right_recv_offset_) + span.offset * e;
      t_.put(from, from_offset, to, to_offset, bytes, put_);
      t_.wait(put_);
    }
    g_.isend(right(), kStageTag + static_cast<Tag>(stage), &note_out_, 1,
             notes_out_[stage * chunks_ + c]);
  }

  const Group& g_;
  transport::Transport& t_;
  Job job_;
  int steps_;
  std::size_t chunks_;
  std::size_t lead_;
  std::size_t send_offset_ = 0;
  std::size_t recv_offset_ = 0;
  std::size_t right_recv_offset_ = 0;
  const transport::MemoryRegion* landing_ = nullptr;  // in place: the left neighbour's sums
  std::unique_ptr<transport::MemoryRegion> own_landing_;
  std::unique_ptr<transport::RemoteRegion> right_recv_;
  std::unique_ptr<transport::RemoteRegion> right_landing_;
  std::vector<Request> notes_in_;
  std::vector<Request> notes_out_;
  Request clear_[2];
  Request put_;
  char clear_in_ = 0, clear_out_ = 1, note_in_ = 0, note_out_ = 1;
};

}  // namespace

bool can_put(const Setup& s, const Job& job) {
  return s.group->size() > 1 && s.group->transport().supports(transport::Capability::kPut) &&
         job.send_region != nullptr && job.recv_region != nullptr;
}

std::unique_ptr<Plan> prepare_ring_put(const Setup& s, const Job& job) {
  return std::make_unique<RingPutPlan>(s, job);
}

}  // namespace lp::bench::allreduce
