#include "transport/verbs/engine.h"

#include "core/error.h"

#include <algorithm>
#include <cstring>
#include <exception>

namespace lp::transport::verbs {
namespace {

// What a Request's cookie says (its handle points at the receive buffer, and a posted
// receive's bytes hold its capacity until it completes).
constexpr std::uint64_t kPending = 0;
constexpr std::uint64_t kComplete = 1;
constexpr std::uint64_t kTruncated = 2;

constexpr std::size_t kPollBatch = 64;
constexpr int kMaxRanks = 1 << 24;  // a peer takes 24 bits of a work request id

}  // namespace

EngineConfig default_config(int ranks) {
  EngineConfig c;
  const std::size_t peers = static_cast<std::size_t>(std::max(ranks - 1, 1));
  const std::size_t fits = kReceiveBudget / (peers * c.buffer_size);
  c.recv_depth = static_cast<std::uint32_t>(
      std::clamp<std::size_t>(fits, kMinRecvDepth, c.recv_depth));
  return c;
}

Engine::Engine(Nic& nic, int rank, int size, const EngineConfig& config)
    : nic_(nic),
      rank_(rank),
      size_(size),
      config_(config),
      eager_limit_(config.buffer_size - kEagerHeaderSize),
      max_inline_(nic.max_inline()),
      max_write_(std::min<std::size_t>(nic.max_write(), UINT32_MAX)),
      credit_threshold_(std::max<std::uint32_t>(2, config.recv_depth / 2)),
      cache_([&nic](void* addr, std::size_t len) { return nic.register_memory(addr, len); },
             config.cache),
      peers_(static_cast<std::size_t>(size)),
      completions_(kPollBatch) {
  LP_ENFORCE_LE(size, kMaxRanks, "too many ranks for verbs work request ids");
  LP_ENFORCE(config.buffer_size > kMaxHeaderSize, "verbs buffers of {} bytes", config.buffer_size);
  LP_ENFORCE(config.recv_depth >= 4 && config.recv_depth <= UINT16_MAX,
             "verbs receive depth {} (4 to 65535)", config.recv_depth);
  LP_ENFORCE(config.send_depth >= 1 && config.send_buffers >= 1, "verbs send depth and buffers");
  LP_ENFORCE(max_write_ > 0, "the NIC writes no bytes");
  limits_ = Limits{eager_limit_, config.max_message, config.recv_depth};
  inline_buffer_.resize(std::max(max_inline_, kMaxHeaderSize));
  if (size_ == 1) return;

  const std::size_t peers = static_cast<std::size_t>(size_ - 1);
  recv_slab_.resize(peers * config.recv_depth * config.buffer_size);
  send_slab_.resize(std::size_t{config.send_buffers} * config.buffer_size);
  recv_reg_ = nic.register_memory(recv_slab_.data(), recv_slab_.size());
  send_reg_ = nic.register_memory(send_slab_.data(), send_slab_.size());
  for (std::uint32_t i = config.send_buffers; i > 0; --i) free_buffers_.push_back(i - 1);
  for (int p = 0; p < size_; ++p) {
    if (p == rank_) continue;
    peers_[p].credits = config.recv_depth;
    peers_[p].send_free = config.send_depth;
    for (std::uint32_t i = 0; i < config.recv_depth; ++i) post_receive(p, i);
  }
}

std::uint64_t Engine::wr_id(Work w, int peer, std::uint32_t index) {
  return (std::uint64_t{static_cast<std::uint8_t>(w)} << 56) |
         (std::uint64_t{static_cast<std::uint32_t>(peer)} << 32) | index;
}

std::size_t Engine::peer_slot(int peer) const {
  return static_cast<std::size_t>(peer < rank_ ? peer : peer - 1);
}

char* Engine::recv_buffer(int peer, std::uint32_t i) {
  return recv_slab_.data() + (peer_slot(peer) * config_.recv_depth + i) * config_.buffer_size;
}

void Engine::post_receive(int peer, std::uint32_t i) {
  nic_.post_recv(peer, wr_id(Work::kRecv, peer, i), recv_buffer(peer, i),
                 static_cast<std::uint32_t>(config_.buffer_size), recv_reg_->lkey());
}

void Engine::complete(Request& req, std::size_t bytes) {
  req.bytes = bytes;
  req.cookie = kComplete;
}

void Engine::isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) {
  req.bytes = len;
  req.cookie = kPending;
  const char* data = static_cast<const char*>(buf);
  if (peer == rank_) {
    deliver(peer, tag, data, len);
    complete(req, len);
    req.done = true;
    return;
  }
  check_alive(peer);
  if (len > config_.max_message) {
    throw Error(fmt::format("rank {}: a {}-byte message to rank {} is over the verbs limit of {} "
                            "bytes",
                            rank_, len, peer, config_.max_message));
  }
  if (len <= eager_limit_) {
    Outgoing out{Out::kEager};
    out.req = &req;
    out.tag = tag;
    out.data = data;
    out.len = len;
    enqueue(peer, out);
  } else {
    RegistrationCache::Lease lease = cache_.acquire(data, len);
    Outgoing out{Out::kRts};
    out.tag = tag;
    out.len = len;
    out.id = sends_.add(RndvSend{&req, peer, data, len, std::move(lease)});
    enqueue(peer, out);
    ++stats_.rendezvous;
  }
  flush(peer);
  if (req.cookie == kComplete) req.done = true;
}

void Engine::irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) {
  req.handle = buf;
  req.bytes = capacity;
  req.cookie = kPending;
  Peer& p = peers_[peer];
  if (auto it = p.unexpected.find(tag); it != p.unexpected.end() && !it->second.empty()) {
    Arrival a = std::move(it->second.front());
    it->second.pop();
    if (a.rts) {
      start_receive(peer, req, a.length, a.send_id);
      flush(peer);
    } else if (a.data.size() > capacity) {
      req.bytes = a.data.size();
      req.cookie = kTruncated;
    } else {
      if (!a.data.empty()) std::memcpy(buf, a.data.data(), a.data.size());
      complete(req, a.data.size());
      req.done = true;
    }
    return;
  }
  if (peer != rank_) check_alive(peer);
  p.posted[tag].push(&req);
}

void Engine::put(int peer, const void* local, std::uint32_t lkey, std::uint64_t remote,
                 std::uint32_t rkey, std::size_t len, Request& req) {
  req.bytes = len;
  req.cookie = kPending;
  if (len == 0 || peer == rank_) {
    if (len > 0) std::memmove(reinterpret_cast<void*>(remote), local, len);
    complete(req, len);
    req.done = true;
    return;
  }
  check_alive(peer);
  Outgoing out{Out::kWrite};
  out.id = jobs_.add(WriteJob(&req, peer, static_cast<const char*>(local), lkey, len, remote, rkey));
  enqueue(peer, out);
  flush(peer);
}

bool Engine::test(Request& req) {
  if (req.cookie == kComplete) return true;
  progress();
  if (req.cookie == kComplete) return true;
  if (req.cookie == kTruncated) {
    throw Error(fmt::format("rank {}: a message from rank {} ({} bytes) is longer than the "
                            "receive buffer",
                            rank_, req.peer, req.bytes));
  }
  if (req.peer != rank_) check_alive(req.peer);
  return false;
}

void Engine::progress() {
  // A completion that fails its peer must not lose the others polled with it: each is
  // handled, and the first failure is thrown afterwards.
  std::exception_ptr first_error;
  const std::size_t n = nic_.poll(completions_);
  for (std::size_t i = 0; i < n; ++i) {
    try {
      on_completion(completions_[i]);
    } catch (const Error&) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  for (std::size_t i = 0; i < active_.size();) {
    const int peer = active_[i];
    Peer& p = peers_[peer];
    if (p.failure.empty()) flush(peer);
    if (!p.failure.empty() || (p.backlog.empty() && p.owed < credit_threshold_)) {
      p.active = false;
      active_[i] = active_.back();
      active_.pop_back();
    } else {
      ++i;
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

bool Engine::drain(std::chrono::milliseconds grace) noexcept {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  const auto busy = [&] {
    for (int p = 0; p < size_; ++p) {
      const Peer& peer = peers_[p];
      if (p == rank_ || !peer.failure.empty()) continue;
      if (!peer.backlog.empty() || peer.send_free < config_.send_depth) return true;
    }
    return false;
  };
  try {
    while (busy()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      progress();
    }
  } catch (const std::exception& e) {
    log_destructor_error("verbs drain", e.what());
    return false;
  }
  return true;
}

nlohmann::json Engine::details() const {
  return {{"eager_limit", eager_limit_},     {"buffer_size", config_.buffer_size},
          {"recv_depth", config_.recv_depth}, {"send_depth", config_.send_depth},
          {"send_buffers", config_.send_buffers}, {"max_write", max_write_}};
}

void Engine::enqueue(int peer, Outgoing out) {
  peers_[peer].backlog.push(out);
  activate(peer);
}

void Engine::activate(int peer) {
  Peer& p = peers_[peer];
  if (p.active) return;
  p.active = true;
  active_.push_back(peer);
}

void Engine::flush(int peer) {
  Peer& p = peers_[peer];
  while (!p.backlog.empty()) {
    Outgoing& o = p.backlog.front();
    if (o.kind == Out::kWrite) {
      WriteJob* job = jobs_.find(o.id);
      LP_ENFORCE(job != nullptr, "verbs write job {} is gone", o.id);
      if (!post_writes(peer, *job, o.id)) break;
    } else {
      Message m;
      const char* payload = nullptr;
      std::size_t payload_len = 0;
      if (o.kind == Out::kEager) {
        m.kind = Kind::kEager;
        m.tag = o.tag;
        payload = o.data;
        payload_len = o.len;
      } else if (o.kind == Out::kRts) {
        m.kind = Kind::kRts;
        m.tag = o.tag;
        m.length = o.len;
        m.send_id = o.id;
      } else {
        m = o.cts;
      }
      if (!post_message(peer, m, payload, payload_len, true)) break;
      if (o.kind == Out::kEager) complete(*o.req, o.len);
    }
    p.backlog.pop();
  }
  if (p.owed >= credit_threshold_) {
    Message m;
    m.kind = Kind::kCredit;
    if (post_message(peer, m, nullptr, 0, false)) ++stats_.credit_messages;
  }
}

bool Engine::post_message(int peer, Message& m, const char* payload, std::size_t payload_len,
                          bool keep_reserve) {
  Peer& p = peers_[peer];
  // One credit stays for credit-only messages, so neither side can end up unable to tell
  // the other that buffers are free again.
  if (p.send_free == 0 || p.credits < (keep_reserve ? 2u : 1u)) return false;
  const std::size_t header = header_size(m.kind);
  const std::size_t total = header + payload_len;
  const bool inline_data = total <= max_inline_;
  if (!inline_data && free_buffers_.empty()) return false;
  char* out = inline_data ? inline_buffer_.data()
                          : send_slab_.data() + std::size_t{free_buffers_.back()} * config_.buffer_size;
  m.credits = static_cast<std::uint16_t>(p.owed);
  encode(m, out);
  if (payload_len > 0) std::memcpy(out + header, payload, payload_len);
  if (inline_data) {
    nic_.post_send(peer, wr_id(Work::kInlineSend, peer, 0), out, static_cast<std::uint32_t>(total),
                   0, true);
  } else {
    nic_.post_send(peer, wr_id(Work::kStagedSend, peer, free_buffers_.back()), out,
                   static_cast<std::uint32_t>(total), send_reg_->lkey(), false);
    free_buffers_.pop_back();
  }
  if (m.kind == Kind::kEager) ++(inline_data ? stats_.inline_sends : stats_.staged_sends);
  p.owed = 0;
  --p.credits;
  --p.send_free;
  return true;
}

bool Engine::post_writes(int peer, WriteJob& job, std::uint32_t job_id) {
  Peer& p = peers_[peer];
  while (job.posted < job.len) {
    const std::uint64_t piece = std::min<std::uint64_t>(max_write_, job.len - job.posted);
    const bool with_imm = job.has_imm && job.posted + piece == job.len;
    if (p.send_free == 0 || (with_imm && p.credits < 2)) return false;
    nic_.post_write(peer, wr_id(Work::kWrite, peer, job_id), job.data + job.posted,
                    static_cast<std::uint32_t>(piece), job.lkey, job.remote + job.posted, job.rkey,
                    with_imm ? std::optional<std::uint32_t>(job.imm) : std::nullopt);
    --p.send_free;
    ++job.in_flight;
    job.posted += piece;
    ++stats_.writes;
    if (with_imm) --p.credits;
  }
  return true;
}

void Engine::on_completion(const Completion& c) {
  const auto work = static_cast<Work>(c.wr_id >> 56);
  const auto peer = static_cast<int>((c.wr_id >> 32) & 0xffffff);
  const auto index = static_cast<std::uint32_t>(c.wr_id);
  LP_ENFORCE(peer < size_ && peer != rank_, "a verbs completion for rank {}", peer);
  if (work == Work::kStagedSend) free_buffers_.push_back(index);
  if (c.error != nullptr) {
    fail(peer, work, c);
    return;
  }
  switch (work) {
    case Work::kRecv:
      on_receive(peer, index, c);
      return;
    case Work::kStagedSend:
    case Work::kInlineSend:
      ++peers_[peer].send_free;
      return;
    case Work::kWrite:
      ++peers_[peer].send_free;
      on_write_done(index);
      return;
  }
  LP_ENFORCE(false, "unknown verbs work request id {:#x}", c.wr_id);
}

void Engine::on_receive(int peer, std::uint32_t index, const Completion& c) {
  Peer& p = peers_[peer];
  if (c.has_imm) {
    RndvRecv* r = recvs_.find(c.imm);
    if (r == nullptr || r->peer != peer) {
      protocol_error(peer, fmt::format("a rendezvous write for receive {}, which it was not given",
                                       c.imm));
    }
    complete(*r->req, r->len);
    recvs_.erase(c.imm);
  } else {
    Message m;
    try {
      m = decode(recv_buffer(peer, index), c.byte_len, limits_, rank_, peer);
    } catch (const Error& e) {
      p.failure = e.what();
      throw;
    }
    if (m.credits > config_.recv_depth - p.credits) {
      protocol_error(peer, fmt::format("returns {} credits with {} of {} not used", m.credits,
                                       p.credits, config_.recv_depth));
    }
    p.credits += m.credits;
    on_message(peer, m);
  }
  post_receive(peer, index);
  if (++p.owed >= credit_threshold_) activate(peer);
}

void Engine::on_message(int peer, const Message& m) {
  Peer& p = peers_[peer];
  switch (m.kind) {
    case Kind::kEager:
      deliver(peer, m.tag, m.payload, m.length);
      return;
    case Kind::kRts:
      if (auto it = p.posted.find(m.tag); it != p.posted.end() && !it->second.empty()) {
        Request* r = it->second.front();
        it->second.pop();
        start_receive(peer, *r, m.length, m.send_id);
      } else {
        Arrival a;
        a.rts = true;
        a.length = m.length;
        a.send_id = m.send_id;
        p.unexpected[m.tag].push(std::move(a));
        ++stats_.unexpected;
      }
      return;
    case Kind::kCts:
      on_cts(peer, m);
      return;
    case Kind::kCredit:
      return;
  }
}

void Engine::on_cts(int peer, const Message& m) {
  RndvSend* s = sends_.find(m.send_id);
  if (s == nullptr || s->peer != peer) {
    protocol_error(peer, fmt::format("a clear-to-send for send {}, which it was not offered",
                                     m.send_id));
  }
  if (m.status == CtsStatus::kRefused) {
    // The receiver reports the truncation; for the sender the message is done.
    complete(*s->req, s->len);
    sends_.erase(m.send_id);
    return;
  }
  WriteJob job(s->req, peer, s->data, s->lease.lkey(), s->len, m.address, m.rkey);
  job.has_imm = true;
  job.imm = m.recv_id;
  job.lease = std::move(s->lease);
  sends_.erase(m.send_id);
  Outgoing out{Out::kWrite};
  out.id = jobs_.add(std::move(job));
  enqueue(peer, out);
}

void Engine::on_write_done(std::uint32_t job_id) {
  WriteJob* job = jobs_.find(job_id);
  LP_ENFORCE(job != nullptr && job->in_flight > 0, "a completion for verbs write job {}", job_id);
  --job->in_flight;
  if (job->in_flight == 0 && job->posted == job->len) {
    complete(*job->req, job->len);
    jobs_.erase(job_id);
  }
}

void Engine::deliver(int peer, Tag tag, const char* data, std::size_t len) {
  Peer& p = peers_[peer];
  if (auto it = p.posted.find(tag); it != p.posted.end() && !it->second.empty()) {
    Request* r = it->second.front();
    it->second.pop();
    if (len > r->bytes) {
      r->bytes = len;
      r->cookie = kTruncated;
      return;
    }
    if (len > 0) std::memcpy(r->handle, data, len);
    complete(*r, len);
    return;
  }
  Arrival a;
  a.data.assign(data, data + len);
  p.unexpected[tag].push(std::move(a));
  ++stats_.unexpected;
}

void Engine::start_receive(int peer, Request& req, std::uint64_t length, std::uint32_t send_id) {
  Outgoing out{Out::kCts};
  out.cts.kind = Kind::kCts;
  out.cts.send_id = send_id;
  if (length > req.bytes) {
    req.bytes = length;
    req.cookie = kTruncated;
    out.cts.status = CtsStatus::kRefused;
  } else {
    RndvRecv r{&req, peer, length, cache_.acquire(req.handle, length)};
    out.cts.rkey = r.lease.rkey();
    out.cts.address = reinterpret_cast<std::uintptr_t>(req.handle);
    out.cts.recv_id = recvs_.add(std::move(r));
  }
  enqueue(peer, out);
}

void Engine::fail(int peer, Work w, const Completion& c) {
  Peer& p = peers_[peer];
  if (!p.failure.empty() && !(p.failure_flushed && !c.flushed)) return;
  const char* what = w == Work::kRecv    ? "a receive from"
                     : w == Work::kWrite ? "an RDMA write to"
                                         : "a send to";
  p.failure = fmt::format("rank {}: {} rank {} failed over verbs: {}", rank_, what, peer, c.error);
  p.failure_flushed = c.flushed;
  p.unreachable = c.peer_unreachable;
}

void Engine::protocol_error(int peer, const std::string& problem) {
  Peer& p = peers_[peer];
  p.failure = fmt::format("rank {}: rank {} broke the verbs protocol: {}", rank_, peer, problem);
  throw Error(p.failure);
}

void Engine::throw_failure(int peer) const {
  const Peer& p = peers_[peer];
  if (p.unreachable) throw PeerLost(peer, p.failure);
  throw Error(p.failure);
}

void Engine::check_alive(int peer) const {
  if (!peers_[peer].failure.empty()) throw_failure(peer);
}

}  // namespace lp::transport::verbs
