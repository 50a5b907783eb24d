// When a client means to send each request: the arrival process of an open-loop load.
//
// Times are nanoseconds from the start of a load level, as doubles (exact to well under a
// nanosecond for any run length). The client compares them with a steady clock and sends as
// soon as each is due, so the schedule never depends on how fast the system answers.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string_view>

namespace lp::bench::rpc {

enum class Arrival {
  kConstant,  // evenly spaced, 1/rate apart
  kPoisson,   // exponential gaps with mean 1/rate (coefficient of variation 1)
  kOnOff,     // Poisson at rate * (on + off) / on during ON periods, nothing during OFF
};

// "constant", "poisson" or "onoff"; throws InputError naming `flag` otherwise.
Arrival parse_arrival(std::string_view text, std::string_view flag);
std::string_view arrival_name(Arrival a);

// A request rate: "50000", "2500.5", "50k", "1.5M" (requests per second). Must be positive
// and at most 1e9 (one request per nanosecond). Throws InputError naming `flag`.
double parse_rate(std::string_view text, std::string_view flag);

struct ArrivalSpec {
  Arrival kind = Arrival::kPoisson;
  double rate = 1000;  // requests per second, long-run average
  std::chrono::nanoseconds on{std::chrono::milliseconds(10)};
  std::chrono::nanoseconds off{std::chrono::milliseconds(10)};
};

class ArrivalProcess {
 public:
  // `phase` in [0, 1) offsets constant arrivals by that fraction of a gap, so several clients
  // at the same rate interleave instead of sending together; ON/OFF periods are shared by all
  // clients (the bursts line up, as a burst of real traffic would).
  ArrivalProcess(const ArrivalSpec& spec, std::uint64_t seed, double phase = 0.0);

  // The next intended send time; non-decreasing.
  double next_ns();

 private:
  ArrivalSpec spec_;
  std::mt19937_64 rng_;
  std::exponential_distribution<double> gap_;  // in units of the mean gap
  double mean_gap_ns_;                         // for onoff: the mean gap while ON
  double t_ns_;                                // for onoff: time counted over ON periods only
};

}  // namespace lp::bench::rpc
