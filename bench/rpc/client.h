// The load generator of one client rank.
//
// Open loop: requests are due at the times the arrival process gives, whatever the servers
// do; the loop spins on the steady clock and sends each as soon as it is due. Latency is
// taken from that intended time, so a server that stalls shows in the tail for every request
// that should have gone out meanwhile (no coordinated omission); the latency from the actual
// send time is kept beside it. Closed loop (--concurrency): each answer or timeout sends the
// next request at once.
//
// Requests live in a table of slots; each request carries its slot and the slot's generation,
// and every response message echoes them, so a late response to a request given up (its slot
// since reused) is recognized and never counted for another. Sends to one server wait in that
// server's queue when its send buffers are all in flight, so one slow server does not hold
// back the others. A request not fully answered --request-timeout after its intended time is
// given up (a timeout); if its answer comes later it still counts as answered late, and one
// never answered is counted as such.
#pragma once

#include "bench/rpc/arrival.h"
#include "bench/rpc/config.h"
#include "bench/rpc/level.h"
#include "bench/rpc/recv_ring.h"
#include "bench/rpc/results.h"
#include "bench/rpc/send_pool.h"

#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace lp::bench::rpc {

class Client {
 public:
  Client(transport::Transport& t, const RpcConfig& config, const Roles& roles,
         const LevelPlan& plan);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs the level to its end (every server said it is done) or its deadline.
  void run(const LevelClock& clock);
  const RankResults& results() const { return *results_; }
  // Nothing posted or in flight on the transport: safe to destroy before the transport.
  bool quiescent() const;

 private:
  enum class State : std::uint8_t { kFree, kQueued, kSent, kZombie };
  struct Slot {
    std::uint32_t generation = 0;
    State state = State::kFree;
    bool measured = false;
    int server = 0;     // the server it was sent to
    int responder = 0;  // the server that answers (another one with --kv)
    std::uint32_t tokens = 0;
    std::uint32_t got = 0;
    std::uint32_t resp = 0;
    std::size_t req = 0;
    std::int64_t intended = 0;
    std::int64_t sent = 0;
    std::int64_t last = 0;  // when the latest response message arrived
  };
  struct Ref {  // a slot as it was when queued: stale once the generation moves on
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct ServerLink {
    ServerLink(int rank, const Tags& tags, std::size_t max_req, std::size_t max_resp)
        : rank(rank), pool(rank, max_req), responses(rank, tags.response, max_resp) {}
    int rank;
    SendPool pool;
    RecvRing responses;
    std::deque<Ref> backlog;  // due, waiting for a send buffer
    std::vector<transport::Request> done_reqs;
    int ends = 0;
  };

  bool live(const Ref& r) const {
    return slots_[r.slot].generation == r.generation && slots_[r.slot].state != State::kFree;
  }
  std::optional<std::uint32_t> take_slot();
  void release(std::uint32_t slot);
  bool issue(std::int64_t intended);  // false when every slot is in use
  void issue_due();
  void send_backlog(ServerLink& s);
  void poll_responses(ServerLink& s);
  void on_response(ServerLink& s, const char* data, std::size_t len);
  void on_resolved();
  void trim();  // drops resolved requests from the front of by_intended_
  void expire();
  void reap_sends(ServerLink& s);
  void finish();

  transport::Transport& t_;
  const RpcConfig& config_;
  const Roles& roles_;
  LevelPlan plan_;
  Tags tags_;
  const LevelClock* clock_ = nullptr;
  // The time as last read: at the top of every iteration, just before every send (the actual
  // send time) and at every response, whose arrival time is what is measured.
  std::int64_t now_ = 0;
  std::mt19937_64 rng_;
  std::optional<ArrivalProcess> arrivals_;  // open loop
  double next_intended_ = 0;
  int concurrency_ = 0;  // closed loop: this client's share
  int next_server_ = 0;  // round-robin
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::deque<Ref> by_intended_;   // queued and sent, in order of intended time
  std::int64_t next_expiry_ = 0;  // when the oldest in by_intended_ times out
  std::deque<Ref> zombies_;       // given up but sent: an answer may still come
  std::deque<ServerLink> servers_;    // grows once at construction: rings point into it
  char done_msg_[kRequestHeaderSize];
  std::unique_ptr<RankResults> results_;
};

}  // namespace lp::bench::rpc
