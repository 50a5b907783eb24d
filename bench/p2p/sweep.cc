#include "bench/p2p/sweep.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lp::bench::p2p {
namespace {

using Clock = std::chrono::steady_clock;

// Pairs that measured send "P <encoded>"; resting ranks and responders send "-" unless they
// have a --check failure to report ("M <text>").
constexpr char kNothing[] = "-";

// With --duration: run the warmup, time it, and agree on one iteration count everywhere (the
// slowest pair decides, so no pair runs much longer than asked).
std::size_t calibrate(transport::Transport& t, PointSpec spec, const Pair* pair, Buffers& buffers,
                      std::chrono::nanoseconds duration) {
  spec.iters = 0;
  double per_iter_ns = 0;
  if (pair != nullptr && spec.warmup > 0) {
    const bool initiator = pair->a == t.rank();
    const auto t0 = Clock::now();
    run_point(t, initiator ? pair->b : pair->a, initiator, spec, buffers);
    per_iter_ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      Clock::now() - t0).count()) / static_cast<double>(spec.warmup);
  }
  const auto all = t.bootstrap().allgather(fmt::format("{}", per_iter_ns));
  double slowest = 0;
  for (const std::string& s : all) slowest = std::max(slowest, std::stod(s));
  if (slowest <= 0) return 1;
  const double n = static_cast<double>(duration.count()) / slowest;
  return static_cast<std::size_t>(std::clamp(n, 1.0, 1e9));
}

}  // namespace

Histogram Point::merged() const {
  Histogram h;
  for (const PairPoint& p : pairs) h.merge(p.result.per_message);
  return h;
}

double Point::bandwidth_GBps() const {
  double sum = 0;
  for (const PairPoint& p : pairs) {
    if (p.result.timed_s > 0) sum += static_cast<double>(p.result.bytes) / p.result.timed_s / 1e9;
  }
  return sum;
}

double Point::msg_rate() const {
  double sum = 0;
  for (const PairPoint& p : pairs) {
    if (p.result.timed_s > 0) sum += static_cast<double>(p.result.messages) / p.result.timed_s;
  }
  return sum;
}

std::string encode(const Pair& pair, const PairResult& r) {
  const nlohmann::json j = {{"a", pair.a},           {"b", pair.b},
                            {"timed_s", r.timed_s},  {"bytes", r.bytes},
                            {"messages", r.messages}, {"mismatch", r.mismatch},
                            {"hist", r.per_message.serialize()}};
  return j.dump();
}

PairPoint decode_pair_point(const std::string& text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    PairPoint p;
    p.pair = {j.at("a").get<int>(), j.at("b").get<int>()};
    p.result.timed_s = j.at("timed_s").get<double>();
    p.result.bytes = j.at("bytes").get<std::uint64_t>();
    p.result.messages = j.at("messages").get<std::uint64_t>();
    p.result.mismatch = j.at("mismatch").get<std::string>();
    p.result.per_message = Histogram::deserialize(j.at("hist").get<std::string>());
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("p2p: malformed result from a peer: {}", e.what()));
  }
}

std::vector<Point> run_sweep(transport::Transport& t, const SweepOptions& o,
                             const std::function<void(const Point&)>& on_point) {
  LP_ENFORCE(!o.sizes.empty(), "no sizes to measure");
  const std::size_t max_size = *std::max_element(o.sizes.begin(), o.sizes.end());
  const std::size_t window = o.mode == Mode::kLat ? 1 : o.window;
  Buffers buffers(t, max_size, window, o.check);
  std::vector<Point> points;
  for (const std::size_t size : o.sizes) {
    PointSpec spec;
    spec.mode = o.mode;
    spec.size = size;
    spec.window = window;
    spec.check = o.check;
    spec.delay_ns = o.delay_ns;
    spec.gap_ns = o.gap_ns;
    spec.iters = o.iters.value_or(default_iters(o.mode, size, window));
    spec.warmup = o.warmup.value_or(default_warmup(spec.iters));
    Point point;
    point.size = size;
    point.warmup = spec.warmup;
    for (const Round& round : o.schedule) {
      const Pair* pair = pair_of(round, t.rank());
      PointSpec run = spec;
      if (o.duration) {
        t.barrier();
        run.iters = calibrate(t, spec, pair, buffers, *o.duration);
        run.warmup = 0;
      }
      point.iters = run.iters;
      t.barrier();
      std::string mine = kNothing;
      if (pair != nullptr) {
        const bool initiator = pair->a == t.rank();
        PairResult r = run_point(t, initiator ? pair->b : pair->a, initiator, run, buffers);
        if (initiator) {
          mine = "P " + encode(*pair, r);
        } else if (!r.mismatch.empty()) {
          mine = "M " + r.mismatch;
        }
      }
      const std::vector<std::string> all = t.bootstrap().allgather(mine);
      if (t.rank() != 0) continue;
      for (const std::string& s : all) {
        if (s.rfind("P ", 0) == 0) {
          point.pairs.push_back(decode_pair_point(s.substr(2)));
          if (!point.pairs.back().result.mismatch.empty()) {
            point.mismatches.push_back(point.pairs.back().result.mismatch);
          }
        } else if (s.rfind("M ", 0) == 0) {
          point.mismatches.push_back(s.substr(2));
        }
      }
    }
    on_point(point);
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace lp::bench::p2p
