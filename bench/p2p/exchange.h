// The timed loops of `lightpath p2p`: one measured point (a mode and a size) between this rank
// and its partner. Options become a PointSpec once, outside the loops; the loops do nothing
// but post, wait and read the clock (payload checks happen between timed intervals).
#pragma once

#include "bench/common/histogram.h"
#include "transport/transport.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace lp::bench::p2p {

enum class Mode { kLat, kBw, kBibw };
// "lat", "bw" or "bibw"; anything else is an InputError naming --mode.
Mode parse_mode(const std::string& text);
std::string to_string(Mode mode);

struct PointSpec {
  Mode mode = Mode::kLat;
  std::size_t size = 0;
  std::size_t iters = 0;   // timed iterations
  std::size_t warmup = 0;  // untimed iterations first
  std::size_t window = 64;  // bw, bibw: messages in flight per iteration
  bool check = false;
  // For tests of the pairwise sweep: this rank spins this long before each reply (lat mode),
  // standing in for a slow host or cable.
  std::uint64_t delay_ns = 0;
  // lat (--gap): the initiator idles this long, polling the transport, before each ping, outside
  // the timed round trip: isolated messages, as a request finds them at low load.
  std::uint64_t gap_ns = 0;
};

// The default iteration counts for a point, in the spirit of osu_latency and osu_bw: many
// iterations for small messages, fewer (bounded by bytes moved) for large ones.
std::size_t default_iters(Mode mode, std::size_t size, std::size_t window);
std::size_t default_warmup(std::size_t iters);

struct PairResult {
  // lat: one-way latency per iteration (round trip / 2); bw, bibw: the time per message
  // within a window (window time / window).
  Histogram per_message;
  double timed_s = 0;           // sum of the timed intervals
  std::uint64_t bytes = 0;      // payload bytes moved in the timed intervals, both directions
  std::uint64_t messages = 0;   // payload messages in the timed intervals
  std::string mismatch;         // --check: the first bad payload, described; empty if none
};

// Buffers for a point, sized once for the largest point of the run. They come from the
// transport's allocate_memory(), as ucx_perftest's come from ucp_mem_map: memory the transport
// moves fastest (UCX shares it with peers on the host, verbs has it registered already).
class Buffers {
 public:
  Buffers(transport::Transport& t, std::size_t max_size, std::size_t window, bool check);
  // Message slot j of a window (every slot is the same memory unless checking).
  unsigned char* send(std::size_t j) { return slot(*send_, j); }
  unsigned char* recv(std::size_t j) { return slot(*recv_, j); }

 private:
  unsigned char* slot(const transport::MemoryRegion& r, std::size_t j) const {
    return static_cast<unsigned char*>(r.data()) + (separate_ ? j * stride_ : 0);
  }
  std::size_t stride_;
  bool separate_;
  std::unique_ptr<transport::MemoryRegion> send_;
  std::unique_ptr<transport::MemoryRegion> recv_;
};

// Runs spec.warmup + spec.iters iterations with `peer`; `initiator` starts every exchange.
// Both partners call it with the same spec. The initiator's result holds the measurements.
PairResult run_point(transport::Transport& t, int peer, bool initiator, const PointSpec& spec,
                     Buffers& buffers);

}  // namespace lp::bench::p2p
