#include "core/sizes.h"

#include "core/error.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace lp {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::size_t parse_size(std::string_view text, std::string_view what) {
  const std::string_view s = trim(text);
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range) {
    throw input_error(what, fmt::format("'{}' is too large", text));
  }
  if (ec != std::errc() || end == s.data()) {
    throw input_error(what, fmt::format("'{}' is not a size (expected e.g. 64, 4K, 1M, 2G)", text));
  }
  std::string_view suffix(end, static_cast<std::size_t>(s.data() + s.size() - end));
  int shift = 0;
  if (!suffix.empty()) {
    switch (suffix.front()) {
      case 'k': case 'K': shift = 10; break;
      case 'm': case 'M': shift = 20; break;
      case 'g': case 'G': shift = 30; break;
      case 't': case 'T': shift = 40; break;
      case 'b': case 'B': shift = 0; break;
      default:
        throw input_error(what, fmt::format("'{}' has an unknown unit '{}' (use K, M, G or T)", text, suffix));
    }
    std::string_view rest = suffix.substr(1);
    if (shift != 0 && !(rest.empty() || rest == "B" || rest == "iB" || rest == "b")) {
      throw input_error(what, fmt::format("'{}' has an unknown unit '{}'", text, suffix));
    }
    if (shift == 0 && !rest.empty()) {
      throw input_error(what, fmt::format("'{}' has an unknown unit '{}'", text, suffix));
    }
  }
  if (shift > 0 && value > (std::numeric_limits<std::size_t>::max() >> shift)) {
    throw input_error(what, fmt::format("'{}' is too large", text));
  }
  return value << shift;
}

std::vector<std::size_t> parse_size_range(std::string_view text, std::string_view what) {
  std::vector<std::string_view> parts;
  std::string_view rest = text;
  for (;;) {
    const auto colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (parts.size() > 3) {
    throw input_error(what, fmt::format("'{}' is not MIN:MAX[:FACTOR]", text));
  }
  const std::size_t lo = parse_size(parts[0], what);
  const std::size_t hi = parts.size() > 1 ? parse_size(parts[1], what) : lo;
  std::size_t factor = 2;
  if (parts.size() == 3) {
    const std::string_view f = trim(parts[2]);
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), factor);
    if (ec != std::errc() || end != f.data() + f.size() || factor < 2) {
      throw input_error(what, fmt::format("'{}': FACTOR must be an integer of 2 or more", text));
    }
  }
  if (lo > hi) throw input_error(what, fmt::format("'{}': MIN is larger than MAX", text));
  std::vector<std::size_t> sizes;
  std::size_t s = lo;
  if (s == 0) {
    sizes.push_back(0);
    s = 1;
  }
  while (s < hi) {
    sizes.push_back(s);
    if (s > hi / factor) break;
    s *= factor;
  }
  if (hi > 0 || lo > 0) {
    if (sizes.empty() || sizes.back() != hi) sizes.push_back(hi);
  }
  return sizes;
}

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what) {
  const std::string_view s = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data() || !std::isfinite(value) || value < 0) {
    throw input_error(what, fmt::format("'{}' is not a duration (expected e.g. 10s, 500ms, 50us)", text));
  }
  const std::string_view unit(end, static_cast<std::size_t>(s.data() + s.size() - end));
  double ns_per_unit = 0;
  if (unit == "ns") ns_per_unit = 1;
  else if (unit == "us") ns_per_unit = 1e3;
  else if (unit == "ms") ns_per_unit = 1e6;
  else if (unit == "s" || unit.empty()) ns_per_unit = 1e9;
  else if (unit == "m" || unit == "min") ns_per_unit = 60e9;
  else if (unit == "h") ns_per_unit = 3600e9;
  else throw input_error(what, fmt::format("'{}' has an unknown unit '{}' (use ns, us, ms, s, m, h)", text, unit));
  const double ns = value * ns_per_unit;
  if (ns > 1e18) throw input_error(what, fmt::format("'{}' is too long", text));
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

std::string format_size(std::size_t bytes) {
  static constexpr const char* kUnits[] = {"", "K", "M", "G", "T"};
  int unit = 0;
  std::size_t v = bytes;
  while (v != 0 && v % 1024 == 0 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", v, kUnits[unit]);
}

}  // namespace lp
