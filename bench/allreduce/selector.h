// `--algo auto`: picks one of lightpath's own algorithms (never the MPI baseline) for each
// size, from a tuning table when one covers the point, else from the alpha-beta models of
// the algorithm descriptors priced with figures measured at start-up.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/tuning_table.h"

#include <optional>
#include <string>

namespace lp::bench::allreduce {

struct Choice {
  const Algorithm* algo = nullptr;
  const char* why = "";  // "table" or "model"
};

class Selector {
 public:
  Selector(std::optional<TuningTable> table, std::optional<Network> net)
      : table_(std::move(table)), net_(std::move(net)) {}

  // Throws Error when neither the table nor a model covers the point.
  Choice choose(const Shape& shape, const Reduction& red, std::size_t bytes,
                const Pipeline& pipeline) const;

  bool has_model() const { return net_.has_value(); }

 private:
  std::optional<TuningTable> table_;
  std::optional<Network> net_;
};

// The algorithm the models price cheapest (ties: the earlier in algorithms()). `hier` is
// left out on one host and where every host has one rank, where it is another algorithm's
// schedule with extra steps. On one host with one-sided transfers (net.beta_put > 0: the
// driver's buffers are transport memory), only ring and rd are weighed: they move their bytes
// by plain copies into (or loads from) the peers' memory, where the others move the same
// bytes or more through the transport's costlier two-sided copies.
const Algorithm& cheapest(const Network& net, const Shape& shape, std::size_t bytes,
                          const Pipeline& pipeline);

}  // namespace lp::bench::allreduce
