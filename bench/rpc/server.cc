#include "bench/rpc/server.h"

#include "bench/rpc/seed.h"
#include "core/error.h"

#include <cstdio>

namespace lp::bench::rpc {

Server::Server(transport::Transport& t, const RpcConfig& config, const Roles& roles,
               const LevelPlan& plan, KvLink* kv, std::vector<bool>& banned)
    : t_(t),
      config_(config),
      roles_(roles),
      plan_(plan),
      tags_(plan.tags()),
      kv_(kv),
      banned_(banned),
      tolerant_(t.name() == "tcp"),
      timed_(!config.service.none() || !config.token_time.none() || kv != nullptr),
      rng_(seed_for(config.seed, t.rank(), plan.index, RandomStream::kWork)),
      results_(std::make_unique<RankResults>()) {
  limits_.max_request = config.sizes.max_req();
  limits_.max_response = config.sizes.max_resp();
  limits_.max_tokens = config.sizes.max_tokens();
  limits_.kv_payload = kv_ != nullptr && !kv_->by_put ? config.kv : 0;
  limits_.ranks = roles.ranks();
  const std::size_t resp_ring = ring_depth(config.sizes.max_resp());
  for (int i = 0; i < roles.clients(); ++i) {
    const int rank = roles.client_rank(i);
    Conn& c = conns_.emplace_back(rank, tags_, config.sizes.max_req(), config.sizes.max_resp());
    c.end_reqs.resize(resp_ring);
    if (banned_[static_cast<std::size_t>(rank)]) {
      c.phase = Phase::kLost;
      continue;
    }
    c.requests.post_all(t_);
  }
  if (kv_ != nullptr) {
    decode_ = roles.decode_server(t.rank(), true);
    source_ = roles.kv_source(t.rank());
    const std::size_t message = kKvHeaderSize + limits_.kv_payload;
    kv_out_.emplace(decode_, message);
    kv_in_.emplace(source_, tags_.kv, message);
    kv_in_->post_all(t_);
    kv_end_reqs_.resize(static_cast<std::size_t>(ring_depth(message)));
  }
  encode_response(ResponseHeader{true, 0, 0, 0}, end_msg_);
  KvHeader kv_end;
  kv_end.end = true;
  kv_end.length = kKvHeaderSize;
  encode_kv(kv_end, kv_end_msg_);
  stall_pending_ = config.stall.enabled() && t.rank() == 0;
}

bool Server::quiescent() const {
  for (const Conn& c : conns_) {
    if (c.requests.posted() > 0 || !c.responses.idle()) return false;
    for (const transport::Request& r : c.end_reqs) {
      if (!r.done) return false;
    }
  }
  if (kv_in_ && kv_in_->posted() > 0) return false;
  if (kv_out_ && !kv_out_->idle()) return false;
  if (!kv_puts_.empty()) return false;
  for (const transport::Request& r : kv_end_reqs_) {
    if (!r.done) return false;
  }
  return true;
}

// --- faults --------------------------------------------------------------------------------

void Server::fault(int peer, const char* what, bool lost) {
  if (!tolerant_ || peer < 0 || peer >= roles_.ranks() || roles_.is_server(peer)) {
    if (lost) throw PeerLost(peer, what);
    throw Error(what);
  }
  Conn& c = conns_[static_cast<std::size_t>(roles_.client_index(peer))];
  drop(c, what);
  if (lost) c.phase = Phase::kLost;
}

void Server::drop(Conn& c, const std::string& why) {
  if (c.phase == Phase::kDropped || c.phase == Phase::kLost) return;
  c.phase = Phase::kDropped;
  banned_[static_cast<std::size_t>(c.rank)] = true;
  ++results_->counters.dropped;
  std::fprintf(stderr,
               "lightpath: rpc server rank %d: dropping client rank %d: %s; serving the "
               "others\n",
               t_.rank(), c.rank, why.c_str());
}

bool Server::test(int peer, transport::Request& r) {
  try {
    return t_.test(r);
  } catch (const PeerLost& e) {
    fault(e.peer(), e.what(), true);
  } catch (const Error& e) {
    if (!tolerant_) throw;
    // Over tcp a garbled frame from any peer surfaces on whichever test ran progress, and that
    // peer is marked lost (its own next test says so). A failure of this request itself (a
    // message longer than its buffer) fails again when tested again.
    try {
      return t_.test(r);
    } catch (const PeerLost& again) {
      fault(again.peer(), again.what(), true);
    } catch (const Error& again) {
      fault(peer, again.what(), false);
    }
  }
  return false;
}

void Server::pop(RecvRing& ring, bool repost) {
  try {
    ring.pop(t_, repost);
  } catch (const PeerLost& e) {
    fault(e.peer(), e.what(), true);
  } catch (const Error& e) {
    if (!tolerant_) throw;
    fault(ring.peer(), e.what(), false);  // posting does not progress other peers
  }
}

bool Server::send(SendPool& pool, transport::Tag tag, std::size_t len) {
  try {
    pool.send(t_, tag, len, now());
    return true;
  } catch (const PeerLost& e) {
    fault(e.peer(), e.what(), true);
  } catch (const Error& e) {
    if (!tolerant_) throw;
    fault(pool.peer(), e.what(), false);
  }
  return false;
}

// --- requests ------------------------------------------------------------------------------

void Server::poll_requests(Conn& c) {
  while (transport::Request* r = c.requests.head()) {
    if (!test(c.rank, *r) || c.phase == Phase::kLost) return;
    // A dropped client's messages are read and discarded, so it cannot pile up memory here.
    if (c.phase != Phase::kDropped) on_request(c, c.requests.head_data(), r->bytes);
    if (c.phase == Phase::kLost) return;
    const bool repost = c.phase == Phase::kServing || c.phase == Phase::kDropped;
    pop(c.requests, repost && !c.requests.draining());
  }
}

void Server::on_request(Conn& c, const char* data, std::size_t len) {
  RequestHeader h;
  try {
    h = decode_request(data, len, limits_);
  } catch (const Error& e) {
    ++results_->counters.rejected;
    drop(c, fmt::format("it sent {}", e.what()));
    return;
  }
  if (h.done) {
    ++c.dones;
    if (active(c)) c.phase = Phase::kDone;
    return;
  }
  if (!active(c)) {
    ++results_->counters.rejected;
    drop(c, "it sent a request after its end-of-run message");
    return;
  }
  ++results_->counters.served;
  if (reply_now(c, h)) return;
  // With simulated work the arrival time must be exact: the thread may have been preempted
  // since this iteration read the clock, and work must not start before its request came.
  const std::int64_t arrived = config_.service.none() ? now() : read_clock();
  const Work w{static_cast<std::size_t>(roles_.client_index(c.rank)), h.slot, h.generation,
               h.tokens, h.response, arrived, h.measured};
  if (config_.service.none() && !busy_ && queue_.empty()) {
    finish_work(w);  // no work to simulate and nothing ahead of it: what serve() would do
    return;
  }
  queue_.push_back(w);
  serve();
}

// The common case, one token and no simulated work with nothing queued ahead: the response
// goes out straight from the decoded header, which is what the general path below (a Work,
// then a Stream of one token) comes to, without its book-keeping on the way from a request's
// arrival to its response's send. False when it does not apply or no send buffer is free.
bool Server::reply_now(Conn& c, const RequestHeader& h) {
  if (timed_ || h.tokens != 1 || busy_ || !queue_.empty() || !c.streams.empty()) return false;
  char* buf = c.responses.acquire();
  if (buf == nullptr) return false;
  encode_response(ResponseHeader{false, h.slot, h.generation, 0}, buf);
  send(c.responses, tags_.response, h.response);
  return true;
}

// --- work, KV caches, streams --------------------------------------------------------------

void Server::serve() {
  const std::int64_t t = now();
  std::int64_t start = t;
  if (busy_) {
    if (t < busy_until_) return;
    const Work done = *busy_;
    busy_.reset();
    start = busy_until_;  // the worker went on to the next request as soon as it was free
    finish_work(done);
  }
  while (!queue_.empty()) {
    const Work w = queue_.front();
    queue_.pop_front();
    if (!active(conns_[w.conn])) continue;
    const std::int64_t work = config_.service.sample(rng_);
    if (work > 0) {
      busy_ = w;
      busy_until_ = std::max(start, w.arrived) + work;
      if (busy_until_ > t) return;
      busy_.reset();
      start = busy_until_;
    }
    finish_work(w);
  }
}

void Server::finish_work(const Work& w) {
  if (!active(conns_[w.conn])) return;  // the client is done or dropped
  if (kv_ == nullptr) {
    start_stream(w);
    return;
  }
  kv_waiting_.push_back(w);
  move_kv();
}

void Server::move_kv() {
  if (kv_->by_put) {
    // Puts complete in order; each, once visible at the next server, is announced there.
    while (!kv_puts_.empty()) {
      KvPut& p = kv_puts_.front();
      if (!test(decode_, p.req)) break;
      const std::int64_t t = read_clock();
      if (!p.recorded && p.work.measured) {
        results_->kv.record(static_cast<std::uint64_t>(t - p.started));
      }
      p.recorded = true;
      char* buf = kv_out_->acquire();
      if (buf == nullptr) break;
      const Work& w = p.work;
      encode_kv(KvHeader{false, static_cast<std::uint32_t>(conns_[w.conn].rank), w.slot,
                         w.generation, w.tokens, w.resp, kKvHeaderSize},
                buf);
      send(*kv_out_, tags_.kv, kKvHeaderSize);
      kv_puts_.pop_front();
    }
    while (!kv_waiting_.empty() &&
           kv_puts_.size() < static_cast<std::size_t>(pool_limit(config_.kv))) {
      const Work w = kv_waiting_.front();
      kv_waiting_.pop_front();
      KvPut& p = kv_puts_.emplace_back(KvPut{{}, w, read_clock(), false});
      t_.put(*kv_->source, 0, *kv_->remote[static_cast<std::size_t>(decode_)], 0, config_.kv,
             p.req);
    }
  } else {
    while (!kv_out_->idle() && test(decode_, kv_out_->oldest())) {
      if (kv_out_->oldest_note()) {  // a measured request's cache
        results_->kv.record(static_cast<std::uint64_t>(read_clock() - kv_out_->oldest_started()));
      }
      kv_out_->pop_oldest();
    }
    while (!kv_waiting_.empty()) {
      char* buf = kv_out_->acquire();
      if (buf == nullptr) break;
      const Work w = kv_waiting_.front();
      kv_waiting_.pop_front();
      const std::size_t len = kKvHeaderSize + config_.kv;
      encode_kv(KvHeader{false, static_cast<std::uint32_t>(conns_[w.conn].rank), w.slot,
                         w.generation, w.tokens, w.resp, len},
                buf);
      const std::int64_t t = read_clock();
      if (kv_out_->send(t_, tags_.kv, len, t, w.measured) && w.measured) {
        results_->kv.record(static_cast<std::uint64_t>(read_clock() - t));
      }
    }
  }
  if (kv_->by_put) {
    while (!kv_out_->idle() && test(decode_, kv_out_->oldest())) kv_out_->pop_oldest();
  }
}

void Server::poll_kv() {
  while (transport::Request* r = kv_in_->head()) {
    if (!test(source_, *r)) return;
    KvHeader h;
    try {
      h = decode_kv(kv_in_->head_data(), r->bytes, limits_);
      if (roles_.is_server(static_cast<int>(h.client)) && !h.end) {
        throw Error(fmt::format("a kv message for rank {}, a server", h.client));
      }
    } catch (const Error& e) {
      throw Error(fmt::format("rank {}: from server rank {}: {}", t_.rank(), source_, e.what()));
    }
    if (h.end) {
      ++kv_ends_;
    } else {
      const auto conn = static_cast<std::size_t>(roles_.client_index(static_cast<int>(h.client)));
      if (active(conns_[conn])) {
        start_stream(Work{conn, h.slot, h.generation, h.tokens, h.response, now(), false});
      }
    }
    kv_in_->pop(t_, kv_ends_ == 0);
  }
}

void Server::start_stream(const Work& w) {
  Conn& c = conns_[w.conn];
  Stream s{w, 0, config_.token_time.none() ? now() : read_clock()};
  if (c.streams.empty() && send_tokens(c, s)) return;
  c.streams.push_back(s);
  ++streaming_;
}

bool Server::send_tokens(Conn& c, Stream& s) {
  if (!active(c)) return true;
  const std::int64_t t = now();
  while (s.next < s.work.tokens && s.due <= t) {
    char* buf = c.responses.acquire();
    if (buf == nullptr) return false;
    encode_response(ResponseHeader{false, s.work.slot, s.work.generation, s.next}, buf);
    if (!send(c.responses, tags_.response, s.work.resp)) return true;
    ++s.next;
    s.due += config_.token_time.sample(rng_);
  }
  return s.next == s.work.tokens;
}

void Server::advance_streams(Conn& c) {
  if (!active(c)) {  // done or dropped: nobody waits for these tokens
    streaming_ -= c.streams.size();
    c.streams.clear();
    return;
  }
  for (auto it = c.streams.begin(); it != c.streams.end() && !c.responses.full();) {
    if (send_tokens(c, *it)) {
      it = c.streams.erase(it);
      --streaming_;
    } else {
      ++it;
    }
  }
}

// --- the end of a level --------------------------------------------------------------------

void Server::reap(Conn& c) {
  while (!c.responses.idle() && test(c.rank, c.responses.oldest())) c.responses.pop_oldest();
  if (c.phase != Phase::kServing || c.responses.idle()) return;
  // A client that leaves a response unread this long has given that request up long ago and
  // is not reading (time spent in a --stall does not count against it).
  const std::int64_t since = std::max(c.responses.oldest_started(), stall_end_);
  if (now() - since > plan_.timeout_ns) {
    drop(c, fmt::format("it left its responses unread for {} ms", plan_.timeout_ns / 1000000));
  }
}

void Server::maybe_end(Conn& c) {
  if (c.phase != Phase::kDone || !c.streams.empty()) return;
  c.phase = Phase::kEnded;
  for (transport::Request& r : c.end_reqs) {
    try {
      t_.isend(c.rank, tags_.response, end_msg_, kResponseHeaderSize, r);
    } catch (const PeerLost& e) {
      fault(e.peer(), e.what(), true);
      return;
    } catch (const Error& e) {
      if (!tolerant_) throw;
      fault(c.rank, e.what(), false);
      return;
    }
  }
}

void Server::maybe_end_kv() {
  if (kv_ == nullptr || kv_end_sent_) return;
  for (const Conn& c : conns_) {
    if (active(c)) return;
  }
  // Every client is done: no cache still waiting matters, but puts in flight must land
  // before the next server hears the end.
  kv_waiting_.clear();
  move_kv();
  if (!kv_puts_.empty()) return;
  kv_end_sent_ = true;
  for (transport::Request& r : kv_end_reqs_) {
    t_.isend(decode_, tags_.kv, kv_end_msg_, kKvHeaderSize, r);
  }
}

bool Server::finished() const {
  for (const Conn& c : conns_) {
    if (c.phase == Phase::kDropped || c.phase == Phase::kLost) continue;
    if (c.phase != Phase::kEnded || c.requests.posted() > 0 || !c.responses.idle()) return false;
    for (const transport::Request& r : c.end_reqs) {
      if (!r.done) return false;
    }
  }
  if (kv_ == nullptr) return true;
  if (!kv_end_sent_ || kv_in_->posted() > 0 || !kv_out_->idle()) return false;
  for (const transport::Request& r : kv_end_reqs_) {
    if (!r.done) return false;
  }
  return true;
}

void Server::report_unfinished() {
  std::string ranks;
  for (Conn& c : conns_) {
    if (c.phase == Phase::kServing || c.phase == Phase::kDone) {
      ranks += fmt::format("{}{}", ranks.empty() ? "" : ", ", c.rank);
      ++results_->counters.unfinished;
    }
  }
  std::fprintf(stderr,
               "lightpath: rpc server rank %d: the level's deadline passed before %s "
               "finished; no longer waiting\n",
               t_.rank(), ranks.empty() ? "the other servers" : ("client rank " + ranks).c_str());
}

void Server::run(const LevelClock& clock) {
  clock_ = &clock;
  const std::int64_t stall_at = plan_.warmup_ns + config_.stall.at.count();
  for (unsigned iteration = 0;; ++iteration) {
    if (timed_ || stall_pending_ || iteration % 64 == 0) read_clock();
    if (stall_pending_ && now() >= stall_at) {
      stall_pending_ = false;
      stall_end_ = now() + config_.stall.length.count();
      while (read_clock() < stall_end_) {
      }
    }
    for (Conn& c : conns_) {
      if (c.phase != Phase::kLost) poll_requests(c);
    }
    if (kv_in_) poll_kv();
    if (busy_ || !queue_.empty()) serve();
    if (kv_ != nullptr) move_kv();
    if (streaming_ > 0) {
      for (Conn& c : conns_) {
        if (!c.streams.empty()) advance_streams(c);
      }
    }
    for (Conn& c : conns_) {
      if (c.phase == Phase::kLost) continue;
      if (!c.responses.idle()) reap(c);
      maybe_end(c);
      if (c.phase == Phase::kEnded) {
        for (transport::Request& r : c.end_reqs) test(c.rank, r);
      }
    }
    if (kv_ != nullptr) {
      maybe_end_kv();
      for (transport::Request& r : kv_end_reqs_) test(decode_, r);
    }
    if (iteration % 64 != 0) continue;  // the end can wait a few polls
    if (finished()) return;
    if (now() >= next_peer_check_) {
      t_.bootstrap().check_peers();  // a client may be gone without a word (shared memory, RDMA)
      next_peer_check_ = now() + kPeerCheckNs;
    }
    if (now() >= plan_.deadline_ns) {
      report_unfinished();
      return;
    }
  }
}

}  // namespace lp::bench::rpc
