#include "bench/rpc/work_time.h"

#include "core/error.h"
#include "core/sizes.h"

#include <cmath>

namespace lp::bench::rpc {

std::int64_t WorkTime::sample(std::mt19937_64& rng) const {
  switch (kind) {
    case Kind::kNone:
      return 0;
    case Kind::kFixed:
      return mean.count();
    case Kind::kExponential: {
      std::exponential_distribution<double> d(1.0);
      return std::llround(d(rng) * static_cast<double>(mean.count()));
    }
  }
  return 0;
}

std::string WorkTime::text() const {
  switch (kind) {
    case Kind::kNone:
      return "0";
    case Kind::kFixed:
      return fmt::format("fixed:{}ns", mean.count());
    case Kind::kExponential:
      return fmt::format("exp:{}ns", mean.count());
  }
  return "?";
}

WorkTime parse_work_time(std::string_view text, std::string_view flag) {
  if (text == "0" || text == "none") return {};
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  WorkTime w;
  if (kind == "fixed") {
    w.kind = WorkTime::Kind::kFixed;
  } else if (kind == "exp") {
    w.kind = WorkTime::Kind::kExponential;
  } else {
    throw input_error(flag, fmt::format("'{}' is not a work time (expected fixed:DURATION, "
                                        "exp:DURATION or 0, e.g. fixed:50us)",
                                        text));
  }
  if (colon == std::string_view::npos) {
    throw input_error(
        flag, fmt::format("'{}': give a duration after '{}:', e.g. {}:50us", text, kind, kind));
  }
  w.mean = parse_duration(text.substr(colon + 1), flag);
  if (w.mean.count() == 0) return {};
  return w;
}

}  // namespace lp::bench::rpc
