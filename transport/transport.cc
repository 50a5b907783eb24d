#include "transport/transport.h"

#include "core/error.h"

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>

namespace lp::transport {
namespace {

constexpr Tag kRegionTag = kMaxUserTag + 1;
constexpr Tag kBarrierTagBase = kMaxUserTag + 2;
constexpr std::size_t kMaxPackedRegion = 64 * 1024;
// How often a long wait asks the bootstrap whether ranks have died.
constexpr std::chrono::milliseconds kPeerCheckInterval{100};
// Polls before a wait first reads the clock. Reading it costs more than a poll, and a ping-pong
// partner waits a whole round trip, longer than 64 polls: with 64, most of its waits read the
// clock. Where ranks share cores, waits give the core away after 64 polls instead.
constexpr int kQuickPolls = 1 << 14;
constexpr int kQuickPollsShared = 64;

}  // namespace

Transport::Transport(Bootstrap& boot, TransportOptions options, unsigned capabilities)
    : boot_(boot),
      options_(std::move(options)),
      capabilities_(capabilities),
      rank_(boot.rank()),
      size_(boot.size()),
      traffic_(boot.size()),
      quick_polls_(options_.yield_when_idle ? kQuickPollsShared : kQuickPolls) {}

void Transport::bad_peer(int peer, const char* op) const {
  throw Error(fmt::format("{}: peer rank {} is out of range (size {})", op, peer, size_));
}

void Transport::wait_long(Request& req) {
  using clock = std::chrono::steady_clock;
  clock::time_point deadline{};
  clock::time_point next_check{};
  for (unsigned polls = 0;; ++polls) {
    if (test(req)) return;
    if ((polls & 63u) == 63u) idle();
    // Reading the clock costs more than a poll: look at it every 1024 polls only.
    if ((polls & 1023u) == 0) {
      const auto now = clock::now();
      if (polls == 0) {
        deadline = now + options_.timeout;
        next_check = now + kPeerCheckInterval;
      } else if (now >= next_check) {
        boot_.check_peers();  // a long wait: is the peer still there at all?
        next_check = now + kPeerCheckInterval;
      }
      if (now > deadline) {
        throw PeerLost(req.peer,
                       fmt::format("rank {}: no answer from rank {} within {} ms over {}; that "
                                   "rank was lost or is stuck",
                                   rank_, req.peer, options_.timeout.count(), name()));
      }
    }
  }
}

void Transport::idle() {
  if (options_.yield_when_idle) std::this_thread::yield();
}

void Transport::wait_all(Request* reqs, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) wait(reqs[i]);
}

void Transport::send(int peer, Tag tag, const void* buf, std::size_t len) {
  Request r;
  isend(peer, tag, buf, len, r);
  wait(r);
}

std::size_t Transport::recv(int peer, Tag tag, void* buf, std::size_t capacity) {
  Request r;
  irecv(peer, tag, buf, capacity, r);
  wait(r);
  return r.bytes;
}

namespace {

// allocate_memory()'s default: ordinary memory, registered, owned by the region.
class AllocatedRegion final : public MemoryRegion {
 public:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  AllocatedRegion(std::unique_ptr<void, Free> memory, std::unique_ptr<MemoryRegion> registered)
      : MemoryRegion(registered->data(), registered->size()),
        memory_(std::move(memory)),
        registered_(std::move(registered)) {}
  ~AllocatedRegion() override { registered_.reset(); }  // deregister before freeing
  std::string pack() const override { return registered_->pack(); }

 private:
  std::unique_ptr<void, Free> memory_;
  std::unique_ptr<MemoryRegion> registered_;
};

}  // namespace

std::unique_ptr<MemoryRegion> Transport::allocate_memory(std::size_t size) {
  constexpr std::size_t kPage = 4096;
  const std::size_t rounded = (size + kPage - 1) / kPage * kPage;
  std::unique_ptr<void, AllocatedRegion::Free> memory(std::aligned_alloc(kPage, rounded == 0 ? kPage : rounded));
  if (!memory) throw std::bad_alloc();
  std::memset(memory.get(), 0, rounded == 0 ? kPage : rounded);
  auto registered = register_memory(memory.get(), size);
  return std::make_unique<AllocatedRegion>(std::move(memory), std::move(registered));
}

std::unique_ptr<RemoteRegion> Transport::attach_remote(int, const std::string&) {
  throw Error(fmt::format("the {} transport has no one-sided put", name()));
}

void Transport::put(const MemoryRegion& local, std::size_t local_offset, RemoteRegion& remote,
                    std::size_t remote_offset, std::size_t len, Request& req) {
  if (!supports(Capability::kPut)) {
    throw Error(fmt::format("the {} transport has no one-sided put", name()));
  }
  check_peer(remote.peer(), "put");
  // Written so that offset + len cannot wrap around.
  LP_ENFORCE_LE(len, local.size(), "put reads past the local region");
  LP_ENFORCE_LE(local_offset, local.size() - len, "put reads past the local region");
  LP_ENFORCE_LE(len, remote.size(), "put writes past the remote region");
  LP_ENFORCE_LE(remote_offset, remote.size() - len, "put writes past the remote region");
  traffic_.add(remote.peer(), len);
  req = Request{};
  req.peer = remote.peer();
  req.done = false;
  req.pending_put = true;
  do_put(local, local_offset, remote, remote_offset, len, req);
}

void Transport::do_put(const MemoryRegion&, std::size_t, RemoteRegion&, std::size_t, std::size_t,
                       Request&) {
  throw Error(fmt::format("the {} transport has no one-sided put", name()));
}

std::vector<std::unique_ptr<RemoteRegion>> Transport::exchange_regions(const MemoryRegion& mine) {
  const std::string packed = mine.pack();
  LP_ENFORCE_LE(packed.size(), kMaxPackedRegion, "packed region key too large");
  std::vector<std::string> theirs(static_cast<std::size_t>(size_), std::string(kMaxPackedRegion, '\0'));
  std::vector<Request> reqs(2 * static_cast<std::size_t>(size_));
  for (int p = 0; p < size_; ++p) {
    if (p == rank_) continue;
    irecv(p, kRegionTag, theirs[p].data(), kMaxPackedRegion, reqs[2 * p]);
    isend(p, kRegionTag, packed.data(), packed.size(), reqs[2 * p + 1]);
  }
  wait_all(reqs.data(), reqs.size());
  std::vector<std::unique_ptr<RemoteRegion>> out(static_cast<std::size_t>(size_));
  for (int p = 0; p < size_; ++p) {
    if (p == rank_) continue;
    theirs[p].resize(reqs[2 * p].bytes);
    out[p] = attach_remote(p, theirs[p]);
  }
  return out;
}

void Transport::barrier() {
  // Dissemination barrier: in round k, send to rank + 2^k and receive from rank - 2^k.
  // Tags cycle through 64 values so back-to-back barriers never match each other's messages.
  const Tag tag = kBarrierTagBase + (barrier_round_++ % 64);
  std::array<Request, 2> reqs;
  char out = 0;
  char in = 0;
  for (int dist = 1; dist < size_; dist *= 2) {
    const int to = (rank_ + dist) % size_;
    const int from = (rank_ - dist + size_) % size_;
    irecv(from, tag, &in, 1, reqs[0]);
    isend(to, tag, &out, 1, reqs[1]);
    wait_all(reqs.data(), reqs.size());
  }
}

}  // namespace lp::transport
