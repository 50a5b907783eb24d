#include "bench/rpc/client.h"

#include "bench/rpc/seed.h"
#include "core/error.h"

#include <cstdio>

namespace lp::bench::rpc {

Client::Client(transport::Transport& t, const RpcConfig& config, const Roles& roles,
               const LevelPlan& plan)
    : t_(t),
      config_(config),
      roles_(roles),
      plan_(plan),
      tags_(plan.tags()),
      rng_(seed_for(config.seed, t.rank(), plan.index, RandomStream::kChoices)),
      results_(std::make_unique<RankResults>()) {
  const int index = roles.client_index(t.rank());
  if (config.closed_loop()) {
    concurrency_ = config.concurrency / roles.clients() +
                   (index < config.concurrency % roles.clients() ? 1 : 0);
  } else {
    ArrivalSpec spec = config.arrival;
    spec.rate = plan.rate / roles.clients();
    arrivals_.emplace(spec, seed_for(config.seed, t.rank(), plan.index, RandomStream::kArrivals),
                      static_cast<double>(index) / roles.clients());
    next_intended_ = arrivals_->next_ns();
  }
  next_server_ = index % roles.servers();
  const std::size_t max_req = config.sizes.max_req();
  for (int s = 0; s < roles.servers(); ++s) {
    ServerLink& srv = servers_.emplace_back(s, tags_, max_req, config.sizes.max_resp());
    srv.done_reqs.resize(static_cast<std::size_t>(ring_depth(max_req)));
    srv.responses.post_all(t_);
  }
  RequestHeader done;
  done.done = true;
  done.length = kRequestHeaderSize;
  encode_request(done, done_msg_);
}

bool Client::quiescent() const {
  for (const ServerLink& s : servers_) {
    if (s.responses.posted() > 0 || !s.pool.idle()) return false;
    for (const transport::Request& r : s.done_reqs) {
      if (!r.done) return false;
    }
  }
  return true;
}

std::optional<std::uint32_t> Client::take_slot() {
  if (free_.empty()) {
    if (slots_.size() < config_.max_outstanding) {
      slots_.emplace_back();
      free_.push_back(static_cast<std::uint32_t>(slots_.size() - 1));
    } else {
      // Full: forget the oldest request that was given up and is still unanswered.
      while (!zombies_.empty() && free_.empty()) {
        const Ref z = zombies_.front();
        zombies_.pop_front();
        if (!live(z) || slots_[z.slot].state != State::kZombie) continue;
        if (slots_[z.slot].measured) ++results_->counters.unanswered;
        release(z.slot);
      }
      if (free_.empty()) return std::nullopt;
    }
  }
  const std::uint32_t slot = free_.back();
  free_.pop_back();
  return slot;
}

void Client::release(std::uint32_t slot) {
  Slot& s = slots_[slot];
  ++s.generation;
  s.state = State::kFree;
  free_.push_back(slot);
}

bool Client::issue(std::int64_t intended) {
  const std::optional<std::uint32_t> slot = take_slot();
  if (!slot) return false;
  Slot& s = slots_[*slot];
  if (config_.balance == Balance::kRoundRobin) {
    s.server = next_server_;
    next_server_ = (next_server_ + 1) % roles_.servers();
  } else {
    s.server = roles_.servers() == 1
                   ? 0
                   : std::uniform_int_distribution<int>(0, roles_.servers() - 1)(rng_);
  }
  s.responder = roles_.decode_server(s.server, config_.kv > 0);
  const SizeEntry& e = config_.sizes.sample(rng_);
  s.state = State::kQueued;
  s.req = e.req;
  s.resp = static_cast<std::uint32_t>(e.resp);
  s.tokens = e.tokens;
  s.got = 0;
  s.intended = intended;
  s.measured = intended >= plan_.warmup_ns && intended < plan_.end_ns;
  if (s.measured) ++results_->counters.offered;
  const Ref ref{*slot, s.generation};
  if (by_intended_.empty()) next_expiry_ = intended + plan_.timeout_ns;
  by_intended_.push_back(ref);
  ServerLink& srv = servers_[static_cast<std::size_t>(s.server)];
  srv.backlog.push_back(ref);
  send_backlog(srv);
  return true;
}

void Client::issue_due() {
  const std::int64_t now = now_;
  while (next_intended_ <= static_cast<double>(now) &&
         next_intended_ < static_cast<double>(plan_.end_ns)) {
    const auto intended = static_cast<std::int64_t>(next_intended_);
    if (intended + plan_.timeout_ns <= now) {
      // Due so long ago that it timed out before a slot was free: never sent.
      if (intended >= plan_.warmup_ns) {
        Counters& c = results_->counters;
        ++c.offered;
        ++c.timeouts;
        ++c.unanswered;
      }
    } else if (!issue(intended)) {
      return;  // every slot is in use: the request waits, its intended time still counting
    }
    next_intended_ = arrivals_->next_ns();
  }
}

void Client::send_backlog(ServerLink& srv) {
  while (!srv.backlog.empty()) {
    const Ref ref = srv.backlog.front();
    if (!live(ref) || slots_[ref.slot].state != State::kQueued) {
      srv.backlog.pop_front();
      continue;
    }
    char* buf = srv.pool.acquire();
    if (buf == nullptr) return;
    Slot& s = slots_[ref.slot];
    RequestHeader h;
    h.slot = ref.slot;
    h.generation = ref.generation;
    h.tokens = s.tokens;
    h.response = s.resp;
    h.length = s.req;
    h.measured = s.measured;
    encode_request(h, buf);
    s.state = State::kSent;
    s.sent = now_ = clock_->now();
    if (s.measured) ++results_->counters.sent;
    srv.pool.send(t_, tags_.request, s.req, s.sent);
    srv.backlog.pop_front();
  }
}

void Client::poll_responses(ServerLink& srv) {
  while (transport::Request* r = srv.responses.head()) {
    if (!t_.test(*r)) return;
    on_response(srv, srv.responses.head_data(), r->bytes);
    srv.responses.pop(t_, srv.ends == 0);
  }
}

void Client::on_response(ServerLink& srv, const char* data, std::size_t len) {
  const std::int64_t now = now_ = clock_->now();
  ResponseHeader h;
  try {
    h = decode_response(data, len);
  } catch (const Error& e) {
    throw Error(fmt::format("rank {}: from server rank {}: {}", t_.rank(), srv.rank, e.what()));
  }
  Counters& c = results_->counters;
  if (h.end) {
    ++srv.ends;
    return;
  }
  ++c.tokens;
  if (h.slot >= slots_.size()) {
    ++c.mismatched;
    return;
  }
  Slot& s = slots_[h.slot];
  if (s.generation != h.generation || (s.state != State::kSent && s.state != State::kZombie)) {
    return;  // for a request given up and forgotten (counted unanswered then)
  }
  if (srv.rank != s.responder || h.token != s.got || len != s.resp) {
    ++c.mismatched;
    return;
  }
  const bool in_time = s.state == State::kSent;
  if (in_time && s.measured) {
    if (s.got == 0) {
      results_->ttft.record(static_cast<std::uint64_t>(now - s.intended));
    } else {
      results_->itl.record(static_cast<std::uint64_t>(now - s.last));
    }
  }
  ++s.got;
  s.last = now;
  if (s.got < s.tokens) return;
  if (in_time) {
    if (s.measured) {
      ++c.answered;
      results_->latency.record(static_cast<std::uint64_t>(now - s.intended));
      results_->service.record(static_cast<std::uint64_t>(now - s.sent));
    }
    if (now >= plan_.warmup_ns && now < plan_.end_ns) ++c.completed;
  }
  release(h.slot);
  if (in_time) {
    trim();
    on_resolved();
  }
}

void Client::trim() {
  while (!by_intended_.empty()) {
    const Ref ref = by_intended_.front();
    if (live(ref) && slots_[ref.slot].state != State::kZombie) {
      next_expiry_ = slots_[ref.slot].intended + plan_.timeout_ns;
      return;
    }
    by_intended_.pop_front();
  }
  next_expiry_ = 0;
}

void Client::on_resolved() {
  if (!arrivals_ && now_ < plan_.end_ns) issue(now_);
}

void Client::expire() {
  // by_intended_ starts with its oldest unresolved request (trim() keeps it so).
  while (!by_intended_.empty() && now_ >= next_expiry_) {
    const Ref ref = by_intended_.front();
    Slot& s = slots_[ref.slot];
    by_intended_.pop_front();
    if (s.measured) ++results_->counters.timeouts;
    if (s.state == State::kQueued) {
      if (s.measured) ++results_->counters.unanswered;
      release(ref.slot);
    } else {
      s.state = State::kZombie;
      zombies_.push_back(ref);
    }
    trim();
    on_resolved();
  }
}

void Client::reap_sends(ServerLink& srv) {
  while (!srv.pool.idle() && t_.test(srv.pool.oldest())) srv.pool.pop_oldest();
}

void Client::run(const LevelClock& clock) {
  clock_ = &clock;
  now_ = clock.now();
  for (int i = 0; i < concurrency_; ++i) issue(now_);
  for (;;) {
    const std::int64_t now = now_ = clock.now();
    if (arrivals_) issue_due();
    for (ServerLink& srv : servers_) {
      if (!srv.backlog.empty()) send_backlog(srv);
      poll_responses(srv);
      if (!srv.pool.idle()) reap_sends(srv);
    }
    expire();
    // Every request is answered or given up by end + timeout, well before the deadline; a
    // client that fell behind its schedule first accounts for every arrival it owes.
    const bool scheduled = !arrivals_ || next_intended_ >= static_cast<double>(plan_.end_ns);
    if ((now >= plan_.end_ns && scheduled && by_intended_.empty()) || now >= plan_.deadline_ns) {
      break;
    }
  }
  finish();
}

void Client::finish() {
  // Exactly as many end markers as the server keeps receives posted for this client.
  for (ServerLink& srv : servers_) {
    for (transport::Request& r : srv.done_reqs) {
      t_.isend(srv.rank, tags_.request, done_msg_, kRequestHeaderSize, r);
    }
  }
  for (;;) {
    bool settled = true;
    for (ServerLink& srv : servers_) {
      poll_responses(srv);
      reap_sends(srv);
      for (transport::Request& r : srv.done_reqs) {
        if (!t_.test(r)) settled = false;
      }
      if (srv.responses.posted() > 0 || !srv.pool.idle()) settled = false;
    }
    if (settled) break;
    if (clock_->now() >= plan_.deadline_ns) {
      for (const ServerLink& srv : servers_) {
        if (srv.responses.posted() > 0) {
          std::fprintf(stderr,
                       "lightpath: rpc client rank %d: server rank %d did not end the level by "
                       "its deadline; no longer waiting for it\n",
                       t_.rank(), srv.rank);
        }
      }
      break;
    }
  }
  for (const Ref& z : zombies_) {
    if (live(z) && slots_[z.slot].state == State::kZombie && slots_[z.slot].measured) {
      ++results_->counters.unanswered;
    }
  }
}

}  // namespace lp::bench::rpc
