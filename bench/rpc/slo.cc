#include "bench/rpc/slo.h"

#include "core/error.h"
#include "core/sizes.h"

#include <charconv>

namespace lp::bench::rpc {
namespace {

// "p99" -> 99, "p999" -> 99.9, "p9999" -> 99.99, "p50" -> 50, "p99.5" -> 99.5, "p100" and
// "max" -> 100. Digits without a point read as "two digits, then the decimals".
bool parse_percentile(std::string_view name, double& out) {
  if (name == "max") {
    out = 100;
    return true;
  }
  if (name.size() < 2 || name.front() != 'p') return false;
  std::string digits(name.substr(1));
  if (digits.find_first_not_of("0123456789.") != std::string::npos) return false;
  if (digits.find('.') == std::string::npos && digits.size() > 2 && digits != "100") {
    digits = digits.substr(0, 2) + "." + digits.substr(2);
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && end == digits.data() + digits.size() && out > 0 && out <= 100;
}

}  // namespace

std::vector<SloBound> parse_slo(std::string_view text, std::string_view flag) {
  if (text.empty()) throw input_error(flag, "empty (expected e.g. p99=1ms,p999=5ms)");
  std::vector<SloBound> out;
  std::string_view rest = text;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw input_error(flag, fmt::format("'{}' is not PERCENTILE=LATENCY (e.g. p99=1ms)", item));
    }
    SloBound b;
    b.name = std::string(item.substr(0, eq));
    if (!parse_percentile(b.name, b.percentile)) {
      throw input_error(flag, fmt::format("'{}' is not a percentile (p50, p90, p99, p999, p9999, "
                                          "p99.5, max)",
                                          b.name));
    }
    b.limit = parse_duration(item.substr(eq + 1), flag);
    if (b.limit.count() <= 0) {
      throw input_error(flag, fmt::format("'{}': the latency bound must be positive", item));
    }
    for (const SloBound& o : out) {
      if (o.percentile == b.percentile) {
        throw input_error(flag,
                          fmt::format("'{}' and '{}' bound the same percentile", o.name, b.name));
      }
    }
    out.push_back(std::move(b));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::string slo_text(const std::vector<SloBound>& bounds) {
  std::string out;
  for (const SloBound& b : bounds) {
    if (!out.empty()) out += ",";
    out += fmt::format("{}={}ns", b.name, b.limit.count());
  }
  return out;
}

}  // namespace lp::bench::rpc
