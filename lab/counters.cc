#include "lab/counters.h"

#include "core/error.h"
#include "topo/problems.h"

#include <time.h>

#include <cstdint>
#include <map>
#include <stdexcept>

namespace lp::lab {
namespace {

bool starts_with(const std::string& s, const std::string& head) {
  return s.size() > head.size() && s.compare(0, head.size(), head) == 0;
}

const char* kind_name(CounterKind k) {
  switch (k) {
    case CounterKind::kCircuit: return "circuit";
    case CounterKind::kHostLink: return "host";
    case CounterKind::kBridge: return "bridge";
  }
  return "?";
}

CounterKind kind_from(const std::string& name, const std::string& source) {
  for (const CounterKind k : {CounterKind::kCircuit, CounterKind::kHostLink, CounterKind::kBridge}) {
    if (name == kind_name(k)) return k;
  }
  throw input_error(source, fmt::format("unknown counter kind '{}'", name));
}

// Fields of a counter, checked without undefined conversions (a float or a negative number
// where a count belongs).
std::uint64_t count_at(const nlohmann::json& obj, const char* key, std::uint64_t max) {
  const nlohmann::json& v = obj.at(key);
  const bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
  if (!ok || v.get<std::uint64_t>() > max) throw std::invalid_argument(fmt::format("{} is not a count", key));
  return v.get<std::uint64_t>();
}
std::uint64_t bytes_at(const nlohmann::json& obj, const char* key) { return count_at(obj, key, UINT64_MAX); }
int ifindex_at(const nlohmann::json& obj) { return static_cast<int>(count_at(obj, "ifindex", INT32_MAX)); }

double monotonic_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

std::vector<Counter> parse_link_stats(const std::string& json_text, const std::string& netns,
                                      const std::string& prefix) {
  const nlohmann::json links = topo::parse_json(json_text, "ip -n " + netns + " -s -j link show");
  std::vector<Counter> out;
  try {
    for (const nlohmann::json& l : links) {
      const std::string name = l.at("ifname").get<std::string>();
      Counter c{netns, name, ifindex_at(l), CounterKind::kCircuit, 0, 0};
      if (name == prefix + "br") {
        c.kind = CounterKind::kBridge;
      } else if (starts_with(name, prefix + "h")) {
        c.kind = CounterKind::kHostLink;
      } else if (!starts_with(name, prefix + "u")) {
        continue;
      }
      const nlohmann::json& stats = l.at("stats64");
      c.rx_bytes = bytes_at(stats.at("rx"), "bytes");
      c.tx_bytes = bytes_at(stats.at("tx"), "bytes");
      out.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    throw Error(fmt::format("ip -n {} -s -j link show: unexpected output: {}", netns, e.what()));
  }
  return out;
}

Snapshot read_counters(const Plan& plan, const Runner& run) {
  Snapshot s;
  for (const BlockPlan& b : plan.blocks()) {
    const std::string text = run.run({"ip", "-n", b.netns, "-s", "-j", "link", "show"});
    for (Counter& c : parse_link_stats(text, b.netns, plan.prefix())) s.counters.push_back(std::move(c));
  }
  s.monotonic_s = monotonic_now();
  return s;
}

nlohmann::json to_json(const Snapshot& s) {
  nlohmann::json list = nlohmann::json::array();
  for (const Counter& c : s.counters) {
    list.push_back({{"netns", c.netns}, {"ifname", c.ifname}, {"ifindex", c.ifindex},
                    {"kind", kind_name(c.kind)}, {"rx_bytes", c.rx_bytes}, {"tx_bytes", c.tx_bytes}});
  }
  return {{"format", "lightpath.lab-counters/1"}, {"monotonic_s", s.monotonic_s}, {"counters", list}};
}

Snapshot snapshot_from_json(const nlohmann::json& doc, const std::string& source) {
  topo::Problems p(source);
  if (!topo::check_format(doc, "lightpath.lab-counters/1", p)) p.throw_if_any();
  try {
    Snapshot s;
    if (!doc.at("monotonic_s").is_number()) throw std::invalid_argument("monotonic_s is not a number");
    s.monotonic_s = doc.at("monotonic_s").get<double>();
    for (const nlohmann::json& c : doc.at("counters")) {
      s.counters.push_back({c.at("netns").get<std::string>(), c.at("ifname").get<std::string>(), ifindex_at(c),
                            kind_from(c.at("kind").get<std::string>(), source), bytes_at(c, "rx_bytes"),
                            bytes_at(c, "tx_bytes")});
    }
    return s;
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw input_error(source, e.what());
  }
}

HopCount hop_count(const Snapshot& mark, const Snapshot& now) {
  HopCount h;
  h.seconds = now.monotonic_s - mark.monotonic_s;
  std::map<std::pair<std::string, std::string>, const Counter*> before;
  for (const Counter& c : mark.counters) before[{c.netns, c.ifname}] = &c;
  std::size_t matched = 0;
  for (const Counter& c : now.counters) {
    Counter d = c;
    const auto it = before.find({c.netns, c.ifname});
    // The same interface only if its index is too, and its counters did not go back.
    if (it != before.end() && it->second->ifindex == c.ifindex && it->second->rx_bytes <= c.rx_bytes &&
        it->second->tx_bytes <= c.tx_bytes) {
      d.rx_bytes -= it->second->rx_bytes;
      d.tx_bytes -= it->second->tx_bytes;
      ++matched;
    } else {
      ++h.fresh;
    }
    switch (d.kind) {
      case CounterKind::kCircuit: h.circuit_bytes += d.tx_bytes; break;
      case CounterKind::kBridge: h.delivered_bytes += d.tx_bytes; break;
      case CounterKind::kHostLink: h.host_bytes += d.tx_bytes; break;
    }
    h.deltas.push_back(std::move(d));
  }
  h.gone = static_cast<int>(mark.counters.size() - matched);
  if (h.delivered_bytes > 0) {
    h.hop_count = static_cast<double>(h.circuit_bytes) / static_cast<double>(h.delivered_bytes);
  }
  return h;
}

nlohmann::json to_json(const HopCount& h) {
  nlohmann::json circuits = nlohmann::json::array();
  for (const Counter& c : h.deltas) {
    if (c.kind != CounterKind::kCircuit) continue;
    circuits.push_back({{"netns", c.netns}, {"ifname", c.ifname}, {"tx_bytes", c.tx_bytes}});
  }
  return {{"format", "lightpath.lab-hops/1"},
          {"seconds", h.seconds},
          {"circuit_bytes", h.circuit_bytes},
          {"delivered_bytes", h.delivered_bytes},
          {"host_bytes", h.host_bytes},
          {"hop_count", h.hop_count ? nlohmann::json(*h.hop_count) : nlohmann::json(nullptr)},
          {"fresh_interfaces", h.fresh},
          {"gone_interfaces", h.gone},
          {"circuits", circuits}};
}

std::string format_hop_count(const HopCount& h) {
  std::string out = fmt::format("lab hops: over {:.1f} s\n", h.seconds);
  out += fmt::format("  bytes delivered between blocks (block routers to their hosts): {}\n", h.delivered_bytes);
  out += fmt::format("  bytes sent on circuits:                                          {}\n", h.circuit_bytes);
  out += fmt::format("  bytes sent to hosts (host links, within blocks too):            {}\n", h.host_bytes);
  if (h.fresh > 0 || h.gone > 0) {
    out += fmt::format("  note: {} interface(s) appeared and {} went away in the interval; bytes on the "
                       "ones gone are not counted\n",
                       h.fresh, h.gone);
  }
  out += h.hop_count ? fmt::format("measured hop count: {:.3f}\n", *h.hop_count)
                     : std::string("measured hop count: n/a (nothing crossed between blocks)\n");
  return out;
}

}  // namespace lp::lab
