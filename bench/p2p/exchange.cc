#include "bench/p2p/exchange.h"

#include "bench/common/payload.h"
#include "bench/common/tick_clock.h"
#include "core/error.h"

#include <algorithm>
#include <vector>

namespace lp::bench::p2p {
namespace {

using transport::Request;
using transport::Tag;

constexpr Tag kDataTag = 1;
constexpr Tag kAckTag = 2;
constexpr std::size_t kAlign = 64;

// Distinct for every message of a run: the size, the iteration, the slot and the direction.
std::uint64_t seed_of(std::size_t size, std::size_t iter, std::size_t slot, bool reply) {
  return ((static_cast<std::uint64_t>(size) * 1000003u + iter) * 4099u + slot) * 2u + (reply ? 1 : 0);
}

class Loop {
 public:
  Loop(transport::Transport& t, int peer, const PointSpec& spec, Buffers& b)
      : t_(t), peer_(peer), spec_(spec), b_(b), clock_(TickClock::get()), reqs_(2 * spec.window + 1) {}

  void fill(std::size_t iter, std::size_t slot, bool reply) {
    if (spec_.check) fill_payload(b_.send(slot), spec_.size, seed_of(spec_.size, iter, slot, reply));
  }
  void verify(std::size_t iter, std::size_t slot, bool reply, std::size_t arrived) {
    if (!spec_.check || !result.mismatch.empty()) return;
    const std::uint64_t seed = seed_of(spec_.size, iter, slot, reply);
    if (arrived != spec_.size) {
      result.mismatch = fmt::format("rank {}: message {} of iteration {} from rank {} has {} bytes, "
                                    "expected {}", t_.rank(), slot, iter, peer_, arrived, spec_.size);
    } else if (auto at = payload_mismatch(b_.recv(slot), spec_.size, seed)) {
      result.mismatch = fmt::format(
          "rank {}: size {}: message {} of iteration {} from rank {}: byte {} is 0x{:02x}, "
          "expected 0x{:02x}", t_.rank(), spec_.size, slot, iter, peer_, *at,
          b_.recv(slot)[*at], payload_byte(seed, *at));
    }
  }
  void record(std::size_t iter, std::uint64_t interval_ns, std::uint64_t per_message_ns,
              std::uint64_t messages) {
    if (iter < spec_.warmup) return;
    result.per_message.record(per_message_ns);
    result.timed_s += static_cast<double>(interval_ns) * 1e-9;
    result.messages += messages;
    result.bytes += messages * spec_.size;
  }

  // The clock's reading `ns` from now.
  std::uint64_t ticks_from_now(std::uint64_t ns) const {
    return clock_.now() + static_cast<std::uint64_t>(static_cast<double>(ns) / clock_.ns_per_tick());
  }

  void delay() const {
    if (spec_.delay_ns == 0) return;
    const std::uint64_t until = ticks_from_now(spec_.delay_ns);
    while (clock_.now() < until) {
    }
  }

  // --gap: polls the transport (as a rank waiting for work does) until the gap has passed.
  void idle_gap() {
    const std::uint64_t until = ticks_from_now(spec_.gap_ns);
    while (clock_.now() < until) t_.progress();
  }

  // Ping-pong. The initiator sends, then posts the receive for the reply while its message is
  // on the way. It reads the clock once per round trip, as ucx_perftest does (a round trip
  // ends where the next begins), and records a round trip while the next one is in flight, so
  // the bookkeeping stays off the critical path. With --check, filling and verifying payloads
  // stay outside the timed part, and so does --gap, after which the clock is read again.
  void ping() {
    const std::size_t n = spec_.warmup + spec_.iters;
    Request& rr = reqs_[0];
    Request& sr = reqs_[1];
    std::uint64_t t0 = clock_.now();
    std::uint64_t last = 0;  // ticks of round trip i - 1
    for (std::size_t i = 0; i < n; ++i) {
      if (spec_.check) {
        fill(i, 0, false);
        t0 = clock_.now();
      }
      if (spec_.gap_ns > 0) {
        idle_gap();
        t0 = clock_.now();
      }
      delay();
      t_.isend(peer_, kDataTag, b_.send(0), spec_.size, sr);
      t_.irecv(peer_, kDataTag, b_.recv(0), spec_.size, rr);
      if (i > 0) record_round_trip(i - 1, last);
      t_.wait(sr);
      t_.wait(rr);
      const std::uint64_t t1 = clock_.now();
      last = t1 - t0;
      t0 = t1;
      verify(i, 0, true, rr.bytes);
    }
    if (n > 0) record_round_trip(n - 1, last);
  }
  void record_round_trip(std::size_t iter, std::uint64_t ticks) {
    const std::uint64_t rtt = clock_.to_ns(ticks);
    record(iter, rtt, rtt / 2, 2);
  }

  void pong() {
    const std::size_t n = spec_.warmup + spec_.iters;
    Request& rr = reqs_[0];
    Request& sr = reqs_[1];
    for (std::size_t i = 0; i < n; ++i) {
      fill(i, 0, true);
      t_.irecv(peer_, kDataTag, b_.recv(0), spec_.size, rr);
      t_.wait(rr);
      delay();
      t_.isend(peer_, kDataTag, b_.send(0), spec_.size, sr);
      t_.wait(sr);
      verify(i, 0, false, rr.bytes);
    }
  }

  // osu_bw: the sender keeps a window of messages in flight, the receiver acknowledges each
  // completed window with one byte, so an iteration is a window delivered.
  void bandwidth(bool initiator) {
    const std::size_t n = spec_.warmup + spec_.iters;
    const std::size_t w = spec_.window;
    char ack = 0;
    Request& ack_req = reqs_[2 * w];
    for (std::size_t i = 0; i < n; ++i) {
      if (initiator) {
        for (std::size_t j = 0; j < w; ++j) fill(i, j, false);
        const std::uint64_t t0 = clock_.now();
        t_.irecv(peer_, kAckTag, &ack, 1, ack_req);
        for (std::size_t j = 0; j < w; ++j) t_.isend(peer_, kDataTag, b_.send(j), spec_.size, reqs_[j]);
        t_.wait_all(reqs_.data(), w);
        t_.wait(ack_req);
        const std::uint64_t ns = clock_.to_ns(clock_.now() - t0);
        record(i, ns, ns / w, w);
      } else {
        for (std::size_t j = 0; j < w; ++j) t_.irecv(peer_, kDataTag, b_.recv(j), spec_.size, reqs_[j]);
        t_.wait_all(reqs_.data(), w);
        t_.isend(peer_, kAckTag, &ack, 1, ack_req);
        t_.wait(ack_req);
        for (std::size_t j = 0; j < w; ++j) verify(i, j, false, reqs_[j].bytes);
      }
    }
  }

  // osu_bibw: both sides keep a window in flight towards each other.
  void bidirectional(bool initiator) {
    const std::size_t n = spec_.warmup + spec_.iters;
    const std::size_t w = spec_.window;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < w; ++j) fill(i, j, !initiator);
      const std::uint64_t t0 = clock_.now();
      for (std::size_t j = 0; j < w; ++j) t_.irecv(peer_, kDataTag, b_.recv(j), spec_.size, reqs_[w + j]);
      for (std::size_t j = 0; j < w; ++j) t_.isend(peer_, kDataTag, b_.send(j), spec_.size, reqs_[j]);
      t_.wait_all(reqs_.data(), 2 * w);
      const std::uint64_t ns = clock_.to_ns(clock_.now() - t0);
      record(i, ns, ns / w, 2 * w);
      for (std::size_t j = 0; j < w; ++j) verify(i, j, initiator, reqs_[w + j].bytes);
    }
  }

  PairResult result;

 private:
  transport::Transport& t_;
  int peer_;
  const PointSpec& spec_;
  Buffers& b_;
  const TickClock& clock_;
  std::vector<Request> reqs_;
};

}  // namespace

Mode parse_mode(const std::string& text) {
  if (text == "lat") return Mode::kLat;
  if (text == "bw") return Mode::kBw;
  if (text == "bibw") return Mode::kBibw;
  throw input_error("--mode", fmt::format("'{}' is not a mode (expected lat, bw or bibw)", text));
}

std::string to_string(Mode mode) {
  switch (mode) {
    case Mode::kLat: return "lat";
    case Mode::kBw: return "bw";
    case Mode::kBibw: return "bibw";
  }
  return "?";
}

std::size_t default_iters(Mode mode, std::size_t size, std::size_t window) {
  constexpr std::size_t kLatBudget = std::size_t{1} << 30;  // bytes one way per point
  constexpr std::size_t kBwBudget = std::size_t{4} << 30;
  if (mode == Mode::kLat) {
    if (size <= (64u << 10)) return 10000;
    return std::clamp<std::size_t>(kLatBudget / size, 100, 1000);
  }
  const std::size_t per_iter = std::max<std::size_t>(1, size * window);
  return std::clamp<std::size_t>(kBwBudget / per_iter, 20, 1000);
}

std::size_t default_warmup(std::size_t iters) { return std::max<std::size_t>(10, iters / 10); }

Buffers::Buffers(transport::Transport& t, std::size_t max_size, std::size_t window, bool check)
    : stride_((std::max<std::size_t>(max_size, 1) + kAlign - 1) / kAlign * kAlign),
      separate_(check && window > 1),
      send_(t.allocate_memory(stride_ * (separate_ ? window : 1))),
      recv_(t.allocate_memory(stride_ * (separate_ ? window : 1))) {}

PairResult run_point(transport::Transport& t, int peer, bool initiator, const PointSpec& spec,
                     Buffers& buffers) {
  LP_ENFORCE(spec.window >= 1, "a window needs at least one message");
  Loop loop(t, peer, spec, buffers);
  switch (spec.mode) {
    case Mode::kLat:
      if (initiator) {
        loop.ping();
      } else {
        loop.pong();
      }
      break;
    case Mode::kBw: loop.bandwidth(initiator); break;
    case Mode::kBibw: loop.bidirectional(initiator); break;
  }
  return std::move(loop.result);
}

}  // namespace lp::bench::p2p
