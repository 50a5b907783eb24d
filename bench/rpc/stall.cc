#include "bench/rpc/stall.h"

#include "core/error.h"
#include "core/sizes.h"

namespace lp::bench::rpc {

std::string Stall::text() const {
  if (!enabled()) return "none";
  return fmt::format("{}ns@{}ns", length.count(), at.count());
}

Stall parse_stall(std::string_view text, std::string_view flag) {
  const auto at = text.find('@');
  if (at == std::string_view::npos) {
    throw input_error(flag, fmt::format("'{}' is not LENGTH@TIME (e.g. 50ms@2s)", text));
  }
  Stall s;
  s.length = parse_duration(text.substr(0, at), flag);
  s.at = parse_duration(text.substr(at + 1), flag);
  if (s.length.count() == 0) {
    throw input_error(flag, fmt::format("'{}': the stall must last longer than 0", text));
  }
  return s;
}

}  // namespace lp::bench::rpc
