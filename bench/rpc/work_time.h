// Simulated server work, as users write it: "fixed:50us" (always 50 us), "exp:50us"
// (exponentially distributed with mean 50 us) or "0" (none).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace lp::bench::rpc {

struct WorkTime {
  enum class Kind { kNone, kFixed, kExponential };
  Kind kind = Kind::kNone;
  std::chrono::nanoseconds mean{0};

  bool none() const { return kind == Kind::kNone; }
  // One draw, in nanoseconds.
  std::int64_t sample(std::mt19937_64& rng) const;
  // The canonical text form ("0", "fixed:50000ns", "exp:50000ns").
  std::string text() const;
};

// Throws InputError naming `flag` for anything but "0", "fixed:DURATION" or "exp:DURATION".
WorkTime parse_work_time(std::string_view text, std::string_view flag);

}  // namespace lp::bench::rpc
