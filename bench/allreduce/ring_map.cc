// ring over mapped memory, for ranks that share a host: the transport maps every peer's
// buffers into this process (RemoteRegion::mapped), so a rank reads its left neighbour's
// partial sum where it lies and adds its own input in one pass, and pushes each finished
// block straight into every rank's output. Per byte of the vector a rank reads two and
// writes two, the least an all-reduce can (it must read its own input and write its own
// output, and half of each belongs to the other side at two ranks): a two-sided or put
// transfer copies first and reduces after.
//
// Reduce-scatter step s: block me-s-1 = my input + the left neighbour's partial (its input at
// step 0, else what it computed at step s-1, announced by a one-byte message per chunk). At
// the last step the block is final: it is copied into every other rank's output and announced
// to each. Nobody reads a region after its final value has been pushed into it (the push comes
// at the end of the block's chain), so in place needs no extra buffer.
//
// Consent at the start of each call (a rank's input is final and its output free once it has
// entered), and at the end every other block announced: then no peer still reads this rank's
// memory either, since each block's last reader precedes its push.
#include "bench/allreduce/ring_map.h"

#include "bench/allreduce/partition.h"
#include "bench/allreduce/stream_copy.h"
#include "core/error.h"

#include <algorithm>
#include <cstring>

namespace lp::bench::allreduce {
namespace {

constexpr Tag kEnterTag = 0;
constexpr Tag kMapKeysTag = 1;
constexpr Tag kAgreeTag = 2;
constexpr Tag kDoneTag = 3;     // "chunk c of my block is in your output"
constexpr Tag kPartialTag = 4;  // + step: "chunk c of my partial sum for that step is ready"
constexpr std::size_t kMaxMapKeys = 128 * 1024;

struct Peer {
  std::unique_ptr<transport::RemoteRegion> send_region;
  std::unique_ptr<transport::RemoteRegion> recv_region;
  const unsigned char* send = nullptr;  // its input and output, mapped here
  unsigned char* recv = nullptr;
};

std::string pack_keys(std::uint64_t send_offset, std::uint64_t recv_offset,
                      const transport::MemoryRegion& send, const transport::MemoryRegion& recv) {
  const std::string a = send.pack();
  const std::string b = recv.pack();
  const std::uint64_t head[4] = {send_offset, recv_offset, a.size(), b.size()};
  return std::string(reinterpret_cast<const char*>(head), sizeof head) + a + b;
}

class RingMapPlan final : public Plan {
 public:
  RingMapPlan(const Setup& s, const Job& job)
      : g_(*s.group), t_(g_.transport()), job_(job), n_(g_.size()), stream_(past_the_caches(job.bytes())),
        chunks_(chunks_for(part(job.count, static_cast<std::size_t>(n_), 0).count, job.red.elem,
                           s.pipeline.chunk_bytes)),
        peers_(static_cast<std::size_t>(n_)) {
    const std::string mine =
        pack_keys(offset_in(job.send, *job.send_region, job.bytes()),
                  offset_in(job.recv, *job.recv_region, job.bytes()), *job.send_region,
                  *job.recv_region);
    std::vector<std::string> theirs(static_cast<std::size_t>(n_), std::string(kMaxMapKeys, '\0'));
    std::vector<Request> reqs(2 * static_cast<std::size_t>(n_));
    for (int k = 0; k < n_; ++k) {
      if (k == g_.index()) continue;
      g_.irecv(k, kMapKeysTag, theirs[k].data(), kMaxMapKeys, reqs[2 * k]);
      g_.isend(k, kMapKeysTag, mine.data(), mine.size(), reqs[2 * k + 1]);
    }
    g_.wait_all(reqs.data(), reqs.size());
    bool ok = true;
    for (int k = 0; k < n_; ++k) {
      if (k == g_.index()) continue;
      std::string& blob = theirs[k];
      blob.resize(reqs[2 * k].bytes);
      ok = attach(peers_[k], k, blob) && ok;
    }
    // Everyone's verdict, so that all take this transfer or none does.
    const char verdict = ok ? 1 : 0;
    std::vector<char> verdicts(static_cast<std::size_t>(n_), 1);
    for (int k = 0; k < n_; ++k) {
      if (k == g_.index()) continue;
      g_.irecv(k, kAgreeTag, &verdicts[k], 1, reqs[2 * k]);
      g_.isend(k, kAgreeTag, &verdict, 1, reqs[2 * k + 1]);
    }
    g_.wait_all(reqs.data(), reqs.size());
    usable_ = ok && std::all_of(verdicts.begin(), verdicts.end(), [](char v) { return v == 1; });
    const std::size_t steps = static_cast<std::size_t>(n_ - 1);
    partial_in_.resize((steps - 1) * chunks_);
    partial_out_.resize((steps - 1) * chunks_);
    done_in_.resize(static_cast<std::size_t>(n_) * chunks_);
    done_out_.resize(static_cast<std::size_t>(n_) * chunks_);
    enter_in_.resize(static_cast<std::size_t>(n_));
    enter_out_.resize(static_cast<std::size_t>(n_));
  }

  bool usable() const { return usable_; }
  std::string_view transfer() const override { return "map"; }

  void run() override {
    const int me = g_.index();
    const int left = (me + n_ - 1) % n_;
    const int right = (me + 1) % n_;
    const std::size_t e = job_.red.elem;
    const std::size_t last = static_cast<std::size_t>(n_ - 2);  // the step that finishes a block
    for (int k = 0; k < n_; ++k) {
      if (k == me) continue;
      g_.irecv(k, kEnterTag, &byte_in_, 1, enter_in_[k]);
      g_.isend(k, kEnterTag, &byte_out_, 1, enter_out_[k]);
      for (std::size_t c = 0; c < chunks_; ++c) {
        g_.irecv(k, kDoneTag, &byte_in_, 1, done_in_[static_cast<std::size_t>(k) * chunks_ + c]);
      }
    }
    for (std::size_t q = 0; q < partial_in_.size(); ++q) {
      g_.irecv(left, kPartialTag + static_cast<Tag>(q / chunks_ + 1), &byte_in_, 1, partial_in_[q]);
    }
    g_.wait_all(enter_in_.data(), enter_in_.size());
    // Bytes that move by loads and stores are counted as the transport counts its own, at the
    // rank whose data moves: the right neighbour reads this rank's input of block `me` first.
    t_.traffic().add(g_.rank_of(right), block_of(me).count * e);
    const Peer& from = peers_[static_cast<std::size_t>(left)];
    for (std::size_t s = 0; s <= last; ++s) {
      const Span block = block_of(me - static_cast<long long>(s) - 1);
      for (std::size_t c = 0; c < chunks_; ++c) {
        const Span span = part(block, chunks_, c);
        const std::size_t at = span.offset * e;
        if (s > 0) g_.wait(partial_in_[(s - 1) * chunks_ + c]);
        const unsigned char* theirs = (s == 0 ? from.send : from.recv) + at;
        unsigned char* out = job_.dst_at(span.offset);
        if (n_ == 2 && stream_) {
          // Past the caches, the sum streams into both outputs at once (kernels.h): memory
          // sees the inputs read and each output written once, nothing read back.
          unsigned char* to = peers_[static_cast<std::size_t>(left)].recv + at;
          t_.traffic().add(g_.rank_of(left), span.count * e);
          job_.red.into_two(out, to, job_.src_at(span.offset), theirs, span.count);
          stream_fence();
          announce_done(c);
          continue;
        }
        job_.red(out, job_.src_at(span.offset), theirs, span.count);
        if (s < last) {
          t_.traffic().add(g_.rank_of(right), span.count * e);  // it will read this partial sum
          g_.isend(right, kPartialTag + static_cast<Tag>(s + 1), &byte_out_, 1,
                   partial_out_[s * chunks_ + c]);
          continue;
        }
        // Final: into every other rank's output while it is still in cache; past the caches
        // with stores that skip reading the target lines first, fenced before announced.
        for (int k = 0; k < n_; ++k) {
          if (k == me) continue;
          unsigned char* to = peers_[static_cast<std::size_t>(k)].recv + at;
          t_.traffic().add(g_.rank_of(k), span.count * e);
          if (stream_) {
            stream_copy(to, out, span.count * e);
          } else if (span.count > 0) {
            std::memcpy(to, out, span.count * e);
          }
        }
        if (stream_) stream_fence();
        announce_done(c);
      }
    }
    g_.wait_all(done_in_.data(), done_in_.size());
    g_.wait_all(partial_out_.data(), partial_out_.size());
    g_.wait_all(done_out_.data(), done_out_.size());
    g_.wait_all(enter_out_.data(), enter_out_.size());
  }

 private:
  // Tells every other rank that chunk c of its output is final.
  void announce_done(std::size_t c) {
    for (int k = 0; k < n_; ++k) {
      if (k != g_.index()) g_.isend(k, kDoneTag, &byte_out_, 1, done_out_[static_cast<std::size_t>(k) * chunks_ + c]);
    }
  }

  Span block_of(long long b) const {
    const long long n = n_;
    return part(job_.count, static_cast<std::size_t>(n), static_cast<std::size_t>(((b % n) + n) % n));
  }

  // Maps peer k's buffers; false where the transport cannot.
  bool attach(Peer& p, int k, const std::string& blob) {
    std::uint64_t head[4];
    if (blob.size() < sizeof head) return false;
    std::memcpy(head, blob.data(), sizeof head);
    if (sizeof head + head[2] + head[3] != blob.size()) return false;
    p.send_region = t_.attach_remote(g_.rank_of(k), blob.substr(sizeof head, head[2]));
    p.recv_region = t_.attach_remote(g_.rank_of(k), blob.substr(sizeof head + head[2], head[3]));
    auto* send = static_cast<unsigned char*>(p.send_region->mapped());
    auto* recv = static_cast<unsigned char*>(p.recv_region->mapped());
    const std::size_t bytes = job_.bytes();
    if (send == nullptr || recv == nullptr || head[0] > p.send_region->size() ||
        bytes > p.send_region->size() - head[0] || head[1] > p.recv_region->size() ||
        bytes > p.recv_region->size() - head[1]) {
      return false;
    }
    p.send = send + head[0];
    p.recv = recv + head[1];
    return true;
  }

  const Group& g_;
  transport::Transport& t_;
  Job job_;
  int n_;
  bool stream_;  // push with non-temporal stores
  std::size_t chunks_;
  std::vector<Peer> peers_;
  bool usable_ = false;
  std::vector<Request> partial_in_, partial_out_, done_in_, done_out_, enter_in_, enter_out_;
  char byte_in_ = 0, byte_out_ = 1;
};

}  // namespace

std::unique_ptr<Plan> prepare_ring_map(const Setup& s, const Job& job) {
  const int n = s.group->size();
  const bool one_host = std::all_of(s.host_of.begin(), s.host_of.end(),
                                    [&](int h) { return h == s.host_of.front(); });
  // Decided from what every member knows alike; only then do they talk.
  if (n < 2 || job.count == 0 || !one_host || job.send_region == nullptr ||
      job.recv_region == nullptr || !s.group->transport().supports(transport::Capability::kPut)) {
    return nullptr;
  }
  auto plan = std::make_unique<RingMapPlan>(s, job);
  if (!plan->usable()) return nullptr;
  return plan;
}

}  // namespace lp::bench::allreduce
