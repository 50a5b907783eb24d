// Fault injection: "--stall 50ms@2s" makes the first server pause once, for 50 ms, 2 s after
// measurement starts (after --warmup). The pause is total (no progress, no service), like a
// garbage-collection pause or a page-fault storm, so an honest tail must show it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace lp::bench::rpc {

struct Stall {
  std::chrono::nanoseconds length{0};
  std::chrono::nanoseconds at{0};  // from the start of measurement

  bool enabled() const { return length.count() > 0; }
  std::string text() const;
};

// "LENGTH@AT" (e.g. "50ms@2s"); throws InputError naming `flag`.
Stall parse_stall(std::string_view text, std::string_view flag);

}  // namespace lp::bench::rpc
