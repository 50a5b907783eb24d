// An all-reduce algorithm is a small descriptor plugged into one driver: a name, a line of
// help, an alpha-beta cost model (what `auto` compares) and a prepare() that makes a Plan.
// A Plan is one all-reduce prepared for fixed buffers, element count and reduction (scratch
// memory allocated, schedule computed, as MPI_Allreduce_init does), so run() does only the
// communication and arithmetic the timed loop measures. Algorithms are written on the
// Transport interface through a Group; none calls an MPI collective.
#pragma once

#include "bench/allreduce/group.h"
#include "bench/allreduce/kernels.h"
#include "bench/allreduce/scratch.h"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace lp::bench::allreduce {

// The operands of one all-reduce, identical in shape on every rank.
struct Job {
  const void* send = nullptr;  // equal to recv for in-place
  void* recv = nullptr;
  std::size_t count = 0;       // elements per rank
  Reduction red;
  // The transport regions the buffers lie in, when they were made by
  // Transport::allocate_memory (or registered): then peers can put straight into recv.
  const transport::MemoryRegion* send_region = nullptr;
  const transport::MemoryRegion* recv_region = nullptr;

  bool in_place() const { return send == recv; }
  std::size_t bytes() const { return count * red.elem; }
  const unsigned char* src_at(std::size_t elem) const {
    return static_cast<const unsigned char*>(send) + elem * red.elem;
  }
  unsigned char* dst_at(std::size_t elem) const {
    return static_cast<unsigned char*>(recv) + elem * red.elem;
  }
};

// How pipelined algorithms cut their transfers.
struct Pipeline {
  std::size_t chunk_bytes = 256 * 1024;  // largest message of one pipeline step
  int window = 4;                        // chunks in flight per stream
};

// Where an algorithm runs. The group (and the scratch) must outlive the plans made with it.
struct Setup {
  const Group* group = nullptr;
  std::vector<int> host_of;  // host index of each group member (same host, same index)
  Pipeline pipeline;
  Scratch* scratch = nullptr;  // shared working memory (scratch.h); null: each plan its own
  // Where the one-sided ring's in-place partial sums land, shared by plans that never run at
  // once, at least as large as their vectors; null: each plan allocates its own.
  const transport::MemoryRegion* landing = nullptr;
};

class Plan {
 public:
  virtual ~Plan() = default;
  // One all-reduce. Every member of the group calls it, in the same order as other plans.
  virtual void run() = 0;
  // How its bytes move: "send" (two-sided messages), "put" (one-sided, announced) or "map"
  // (loads and stores in peers' memory mapped by the transport).
  virtual std::string_view transfer() const { return "send"; }
};

// What the cost models know about the network and the CPU, measured at start-up
// (cost_model.h) or given by a test. Seconds and seconds per byte.
struct Network {
  double alpha = 1e-6;        // per message, between ranks of one host
  double beta = 1e-10;        // per byte moved, between ranks of one host
  double alpha_inter = 1e-6;  // the same between hosts
  double beta_inter = 1e-10;
  double gamma = 1e-10;       // per byte reduced
  // Per byte of a one-sided put into transport memory (ring's put transfer), on one host and
  // between hosts; 0 where the transport has no put.
  double beta_put = 0;
  double beta_put_inter = 0;
  // Per byte stored into a peer's memory mapped into this process (ring's map transfer, one
  // host only); 0 where the transport maps no peer memory.
  double beta_map = 0;
};

// The shape a model prices: ranks, hosts, and the largest number of ranks on one host.
struct Shape {
  int ranks = 1;
  int hosts = 1;
  int max_local = 1;
};

struct Algorithm {
  std::string_view name;
  std::string_view summary;
  double (*model)(const Network& net, const Shape& shape, std::size_t bytes, const Pipeline& p);
  std::unique_ptr<Plan> (*prepare)(const Setup& setup, const Job& job);
};

// lightpath's own algorithms, in the order `auto` breaks ties: ring, rd, rabenseifner,
// tree, hier. (The MPI_Allreduce baseline is apart: mpi_baseline.h.)
const std::vector<Algorithm>& algorithms();
// Throws InputError naming `flag` and every choice when `name` is none of them.
const Algorithm& find_algorithm(std::string_view name, std::string_view flag = "--algo");

// The shape of a setup (hosts counted from host_of).
Shape shape_of(const Setup& setup);

// For algorithms with one rank: the result is the input.
void copy_if_out_of_place(const Job& job);

// Where `bytes` at `p` start in region `r` (an invariant: they lie inside it).
std::size_t offset_in(const void* p, const transport::MemoryRegion& r, std::size_t bytes);

}  // namespace lp::bench::allreduce
