#include "bench/rpc/arrival.h"

#include "core/error.h"

#include <charconv>
#include <cmath>

namespace lp::bench::rpc {

Arrival parse_arrival(std::string_view text, std::string_view flag) {
  if (text == "constant") return Arrival::kConstant;
  if (text == "poisson") return Arrival::kPoisson;
  if (text == "onoff") return Arrival::kOnOff;
  throw input_error(
      flag, fmt::format("'{}' is not an arrival process (constant, poisson or onoff)", text));
}

std::string_view arrival_name(Arrival a) {
  switch (a) {
    case Arrival::kConstant:
      return "constant";
    case Arrival::kPoisson:
      return "poisson";
    case Arrival::kOnOff:
      return "onoff";
  }
  return "?";
}

double parse_rate(std::string_view text, std::string_view flag) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) {
    throw input_error(flag, fmt::format("'{}' is not a rate (expected requests per second, e.g. "
                                        "50000, 50k, 1.5M)",
                                        text));
  }
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit == "k" || unit == "K") {
    value *= 1e3;
  } else if (unit == "M") {
    value *= 1e6;
  } else if (!unit.empty()) {
    throw input_error(flag, fmt::format("'{}' has an unknown unit '{}' (use k or M)", text, unit));
  }
  if (!std::isfinite(value) || value <= 0) {
    throw input_error(flag, fmt::format("'{}': the rate must be positive", text));
  }
  if (value > 1e9) {
    throw input_error(flag, fmt::format("'{}': more than 1e9 requests per second", text));
  }
  return value;
}

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, std::uint64_t seed, double phase)
    : spec_(spec), rng_(seed), gap_(1.0), mean_gap_ns_(1e9 / spec.rate), t_ns_(0) {
  if (spec_.kind == Arrival::kOnOff) {
    const double on = static_cast<double>(spec_.on.count());
    const double off = static_cast<double>(spec_.off.count());
    mean_gap_ns_ = 1e9 / (spec_.rate * (on + off) / on);
  }
  if (spec_.kind == Arrival::kConstant) t_ns_ = (phase - 1.0) * mean_gap_ns_;
}

double ArrivalProcess::next_ns() {
  switch (spec_.kind) {
    case Arrival::kConstant:
      t_ns_ += mean_gap_ns_;
      return t_ns_;
    case Arrival::kPoisson:
      t_ns_ += gap_(rng_) * mean_gap_ns_;
      return t_ns_;
    case Arrival::kOnOff: {
      // Poisson over "ON time" only, then laid out on the wall clock: each full ON period
      // that has passed adds one OFF period.
      t_ns_ += gap_(rng_) * mean_gap_ns_;
      const double on = static_cast<double>(spec_.on.count());
      const double off = static_cast<double>(spec_.off.count());
      const double periods = std::floor(t_ns_ / on);
      return t_ns_ + periods * off;
    }
  }
  return t_ns_;
}

}  // namespace lp::bench::rpc
