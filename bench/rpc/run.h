// A whole `lightpath rpc` run on one rank: the roles, the KV link, then one load level, or
// the levels of a --sweep until one fails. Every call here is collective: all ranks make it.
#pragma once

#include "bench/rpc/config.h"
#include "bench/rpc/kv_link.h"
#include "bench/rpc/leftovers.h"
#include "bench/rpc/report.h"
#include "transport/transport.h"

#include <functional>
#include <memory>
#include <vector>

namespace lp::bench::rpc {

class Run {
 public:
  // `leftovers` must outlive the transport (leftovers.h).
  Run(transport::Transport& t, const RpcConfig& config, Leftovers& leftovers);

  const Roles& roles() const { return roles_; }
  // "put", "message", or "" without --kv.
  std::string kv_method() const;

  // One level at `rate` (ignored in closed loop); the outcome is the same on every rank.
  LevelOutcome run_level(int index, double rate);
  // The run: a single level, or the sweep (--rate, then * --sweep-factor, until a level fails
  // or --sweep-steps levels ran). `on_level` sees each outcome as it is known.
  std::vector<LevelOutcome> run_all(const std::function<void(const LevelOutcome&)>& on_level);
  // Wall time spent in levels so far, in seconds.
  double elapsed_s() const { return elapsed_s_; }

 private:
  transport::Transport& t_;
  const RpcConfig& config_;
  Leftovers& leftovers_;
  Roles roles_;
  std::unique_ptr<KvLink> kv_;
  std::vector<bool> banned_;
  double elapsed_s_ = 0;
};

// The highest rate of a sweep's outcomes that passed (0 when none did).
double capacity_rps(const std::vector<LevelOutcome>& levels);

}  // namespace lp::bench::rpc
