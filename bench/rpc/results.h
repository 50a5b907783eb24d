// What each rank measured in one load level, and the merge over all ranks. Histograms are
// merged bucket by bucket (never averaged percentiles); counters are summed.
#pragma once

#include "bench/common/histogram.h"
#include "transport/bootstrap.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lp::bench::rpc {

struct Counters {
  // Clients, over requests whose intended send time fell in the measured window:
  std::uint64_t offered = 0;     // all of them
  std::uint64_t sent = 0;        // those that were sent
  std::uint64_t answered = 0;    // fully answered within --request-timeout
  std::uint64_t timeouts = 0;    // not fully answered within it (sent or not)
  std::uint64_t unanswered = 0;  // of the timeouts, never fully answered at all
  // Clients, over the measured window of the wall clock:
  std::uint64_t completed = 0;  // full responses that arrived in it (achieved rate)
  // Clients, over the whole level:
  std::uint64_t tokens = 0;      // response messages received
  std::uint64_t mismatched = 0;  // responses whose size, order or sender did not match
  // Servers, over the whole level:
  std::uint64_t served = 0;      // requests taken
  std::uint64_t rejected = 0;    // malformed messages (the client sending one is dropped)
  std::uint64_t dropped = 0;     // clients no longer served (malformed, lost, not reading)
  std::uint64_t unfinished = 0;  // clients that had not said they were done by the deadline
};

struct RankResults {
  Histogram latency;  // from the intended send time to the last response message
  Histogram service;  // from the actual send time to the last response message
  Histogram ttft;     // from the intended send time to the first response message
  Histogram itl;      // between consecutive response messages of one request
  Histogram kv;       // KV-cache transfer, at the server that moves it
  Counters counters;

  void merge(const RankResults& other);
  // Text form for gathering across ranks; deserialize throws lp::Error on malformed input.
  std::string serialize() const;
  static std::unique_ptr<RankResults> deserialize(std::string_view text);
};

// Every rank contributes its results and gets the merge over all ranks (a collective on the
// bootstrap, so it works whatever state the transport is in).
std::unique_ptr<RankResults> gather_results(transport::Bootstrap& boot, const RankResults& mine);

}  // namespace lp::bench::rpc
