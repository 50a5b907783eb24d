// The measured hop count. Every block router's interfaces count bytes: its circuit ends
// (PREFIXu*), its host links (PREFIXh*) and its bridge (PREFIXbr). Bytes a host exchanges with
// another host of its block are bridged and never reach the bridge device; bytes from other
// blocks are routed onto the bridge, so the bridge's transmit counter is what the block
// delivered to its hosts from other blocks. Each byte between blocks crosses one circuit per
// hop, and each circuit end counts what it sent, so
//     measured hop count = (bytes sent on circuit ends) / (bytes bridges delivered)
// over an interval between two snapshots: 1.0 when everything went direct, 2.0 when
// everything took one transit block.
#pragma once

#include "lab/plan.h"
#include "lab/runner.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lp::lab {

enum class CounterKind { kCircuit, kHostLink, kBridge };

struct Counter {
  std::string netns;
  std::string ifname;
  int ifindex = 0;  // tells a recreated interface of the same name from the old one
  CounterKind kind = CounterKind::kCircuit;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
};

struct Snapshot {
  double monotonic_s = 0;  // CLOCK_MONOTONIC, comparable between processes
  std::vector<Counter> counters;
};

// The counters of one block namespace from `ip -s -j link show` output.
std::vector<Counter> parse_link_stats(const std::string& json_text, const std::string& netns,
                                      const std::string& prefix);
Snapshot read_counters(const Plan& plan, const Runner& run);

nlohmann::json to_json(const Snapshot& s);
Snapshot snapshot_from_json(const nlohmann::json& doc, const std::string& source);

struct HopCount {
  double seconds = 0;
  std::uint64_t circuit_bytes = 0;    // sent on circuit ends
  std::uint64_t delivered_bytes = 0;  // delivered by bridges: between blocks
  std::uint64_t host_bytes = 0;       // sent to hosts on host links, within blocks too
  std::optional<double> hop_count;    // none when nothing went between blocks
  int fresh = 0;  // interfaces made since the first snapshot, counted from zero
  int gone = 0;   // interfaces removed since the first snapshot: their bytes are not counted
  std::vector<Counter> deltas;  // per interface, the bytes of the interval
};

// The interval from `mark` to `now`.
HopCount hop_count(const Snapshot& mark, const Snapshot& now);
nlohmann::json to_json(const HopCount& h);
// The human report; its last line is "measured hop count: X" (or "n/a").
std::string format_hop_count(const HopCount& h);

}  // namespace lp::lab
