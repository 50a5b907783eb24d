// What every benchmark shares: how ranks were launched (mpirun, or --listen/--connect),
// the transport, the run's metadata, and where results go. A benchmark adds its own options,
// builds a Context, measures, and hands records to emit().
#pragma once

#include "core/run_info.h"
#include "topo/binding.h"
#include "transport/mpi_session.h"
#include "transport/transport.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lp::bench {

struct CommonOptions {
  std::string transport = "mpi";
  std::string listen;       // rank 0 of a launcher-less run: HOST:PORT to listen on
  std::string connect;      // other ranks of a launcher-less run: HOST:PORT of rank 0
  int ranks = 2;            // with --listen: how many ranks in all
  std::string timeout = "60s";
  std::string device;       // verbs device[:port]
  int gid_index = -1;
  std::string json_out;     // append JSON Lines here (rank 0)
  std::string traffic_out;  // write the rank-level traffic matrix here (rank 0)
  std::string bind = "none";  // none, core, numa or auto (topo/binding.h)
  std::string metrics_out;    // Prometheus text file of the headline figures (rank 0)
  std::size_t max_message = 0;  // set by the benchmark, not a flag: TransportOptions::max_message
  bool one_sided = true;        // set by the benchmark, not a flag: TransportOptions::one_sided
};

// Adds --transport, --listen, --connect, --ranks, --timeout, --device, --gid-index, --json,
// --traffic-out, --bind, --metrics-out to `app`.
void add_common_options(CLI::App& app, CommonOptions& opts);

class Context {
 public:
  // Launches: MPI (unless --listen/--connect), the bootstrap, then the transport. Checks that
  // every rank got the same `fingerprint` (the benchmark's options in canonical form).
  Context(const CommonOptions& opts, std::string benchmark, const std::string& fingerprint);
  ~Context();

  transport::Transport& transport() { return *transport_; }
  transport::Bootstrap& bootstrap() { return *boot_; }
  int rank() const { return boot_->rank(); }
  int size() const { return boot_->size(); }
  const std::vector<std::string>& rank_hosts() const { return rank_hosts_; }  // host of each rank
  // This rank's place among the ranks on its host (by rank order).
  int local_rank() const { return local_rank_; }
  int local_ranks() const { return local_ranks_; }
  std::vector<std::string> hosts() const;  // distinct hosts, in rank order
  const RunInfo& run_info() const { return info_; }

  // The fields every result record starts with (DESIGN.md, "Result records").
  nlohmann::json record_base() const;

  // Rank 0 appends `records` to --json (one line each, whole lines) and rewrites --metrics-out
  // with the headline figures of every record emitted so far, where those were given.
  void emit(const std::vector<nlohmann::json>& records);

  // Gathers every rank's traffic counters to rank 0 and writes --traffic-out if given.
  // `duration_s` is the measured interval the counters cover.
  void write_traffic(double duration_s);

 private:
  // Binds this rank and records every rank's binding; returns this rank's.
  topo::Binding place(topo::BindPolicy policy);

  CommonOptions opts_;
  std::string benchmark_;
  RunInfo info_;
  std::optional<transport::MpiSession> mpi_;
  std::unique_ptr<transport::Bootstrap> boot_;
  std::unique_ptr<transport::Transport> transport_;
  std::vector<std::string> rank_hosts_;
  int local_rank_ = 0;
  int local_ranks_ = 1;
  nlohmann::json placement_;  // every rank's binding and every host's topology summary
  std::vector<nlohmann::json> emitted_;  // for --metrics-out
};

// Runs a benchmark body. Errors after launch end the whole job (MPI_Abort under mpirun) so
// that no rank waits forever for one that gave up; the exit status follows docs/errors.md.
int run_guarded(const std::function<int()>& body);

}  // namespace lp::bench
