#include "bench/common/context.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "bench/common/metrics.h"
#include "core/sizes.h"
#include "topo/binding.h"
#include "topo/host.h"

#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace lp::bench {

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("--transport", o.transport, "mpi, ucx, tcp or verbs")->capture_default_str();
  app.add_option("--listen", o.listen,
                 "run without mpirun: be rank 0 and wait on HOST:PORT (':PORT' binds 127.0.0.1)");
  app.add_option("--connect", o.connect, "run without mpirun: join the rank 0 at HOST:PORT");
  app.add_option("--ranks", o.ranks, "with --listen: number of ranks in all")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--timeout", o.timeout, "a peer silent this long counts as lost")
      ->capture_default_str();
  app.add_option("--device", o.device, "verbs: DEVICE[:PORT], e.g. mlx5_0:1");
  app.add_option("--gid-index", o.gid_index, "verbs: RoCE GID index (-1: choose)");
  app.add_option("--json", o.json_out, "append one JSON object per measured point to FILE");
  app.add_option("--traffic-out", o.traffic_out, "write the rank-level traffic matrix to FILE");
  app.add_option("--metrics-out", o.metrics_out,
                 "write the headline figures to FILE in the Prometheus text format (node_exporter)");
  app.add_option("--bind", o.bind, "none (as launched), core, numa or auto (near the NIC, spread over NUMA)")
      ->capture_default_str();
}

Context::Context(const CommonOptions& opts, std::string benchmark, const std::string& fingerprint)
    : opts_(opts), benchmark_(std::move(benchmark)), info_(RunInfo::current()) {
  if (!opts_.listen.empty() && !opts_.connect.empty()) {
    throw InputError("--listen and --connect: give one or the other");
  }
  transport::TransportOptions topts;
  topts.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      parse_duration(opts_.timeout, "--timeout"));
  if (topts.timeout.count() <= 0) throw InputError("--timeout: must be positive");
  topts.device = opts_.device;
  topts.gid_index = opts_.gid_index;
  const topo::BindPolicy bind = topo::parse_bind_policy(opts_.bind);
  topts.max_message = opts_.max_message;
  topts.one_sided = opts_.one_sided;

  if (!opts_.listen.empty()) {
    boot_ = transport::make_tcp_bootstrap_listen(opts_.listen, opts_.ranks, topts.timeout);
  } else if (!opts_.connect.empty()) {
    boot_ = transport::make_tcp_bootstrap_connect(opts_.connect, topts.timeout);
  } else {
    mpi_.emplace(nullptr, nullptr);
    boot_ = transport::make_mpi_bootstrap();
  }
  transport::check_same_everywhere(*boot_, benchmark_ + " " + opts_.transport + " " + fingerprint,
                                   "arguments");
  rank_hosts_ = boot_->allgather(info_.host);
  // More ranks here than hardware threads (mpirun --oversubscribe): busy waits must share them.
  topts.yield_when_idle = place(bind).oversubscribed;
  transport_ = transport::make_transport(opts_.transport, *boot_, topts);
}

// Binds this rank before the transport allocates anything, reads the binding back, warns once
// per host about oversubscription, and gathers every rank's binding for the records.
topo::Binding Context::place(topo::BindPolicy policy) {
  for (int r = 0; r < size(); ++r) {
    if (rank_hosts_[r] != info_.host) continue;
    if (r < rank()) ++local_rank_;
  }
  local_ranks_ = static_cast<int>(std::count(rank_hosts_.begin(), rank_hosts_.end(), info_.host));
  std::string nic = opts_.device;
  if (const char* ucx = std::getenv("UCX_NET_DEVICES"); nic.empty() && ucx != nullptr) {
    nic = std::string(ucx).substr(0, std::string(ucx).find(','));
  }
  const topo::Binding binding = topo::bind_process(policy, local_rank_, local_ranks_, nic);
  const topo::HostTopology host = topo::discover_host();
  if (binding.oversubscribed && local_rank_ == 0) {
    std::fprintf(stderr,
                 "lightpath: warning: %d ranks share %d hardware threads on %s: busy-polling ranks "
                 "slow each other, so timings are not representative\n",
                 local_ranks_, binding.host_pus, info_.host.c_str());
  }
  nlohmann::json mine = topo::to_json(binding);
  mine["host"] = info_.host;
  const auto bindings = boot_->allgather(mine.dump());
  const auto hosts = boot_->allgather(topo::summary_json(host).dump());
  nlohmann::json ranks = nlohmann::json::array();
  nlohmann::json topology = nlohmann::json::object();
  bool oversubscribed = false;
  for (int r = 0; r < size(); ++r) {
    nlohmann::json b = nlohmann::json::parse(bindings[r]);
    oversubscribed = oversubscribed || b.value("oversubscribed", false);
    ranks.push_back({{"rank", r}, {"host", b["host"]}, {"cpus", b["cpus"]}, {"numa", b["numa"]}});
    if (b.contains("near")) ranks.back()["near"] = b["near"];
    if (!topology.contains(rank_hosts_[r])) topology[rank_hosts_[r]] = nlohmann::json::parse(hosts[r]);
  }
  placement_ = {{"binding", {{"policy", topo::to_string(policy)}, {"oversubscribed", oversubscribed}, {"ranks", ranks}}},
                {"host_topology", topology}};
  return binding;
}

Context::~Context() {
  // The transport goes before the bootstrap and MPI it was built on.
  transport_.reset();
  boot_.reset();
}

std::vector<std::string> Context::hosts() const {
  std::vector<std::string> out;
  for (const std::string& h : rank_hosts_) {
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  }
  return out;
}

nlohmann::json Context::record_base() const {
  return {{"format", "lightpath.result/1"},
          {"benchmark", benchmark_},
          {"transport", transport_->name()},
          {"transport_details", transport_->details()},
          {"launcher", boot_->kind()},
          {"ranks", size()},
          {"hosts", hosts()},
          {"version", info_.version},
          {"git", info_.git},
          {"command", info_.command},
          {"started", info_.started},
          {"binding", placement_["binding"]},
          {"host_topology", placement_["host_topology"]}};
}

void Context::emit(const std::vector<nlohmann::json>& records) {
  if (rank() != 0 || records.empty()) return;
  if (!opts_.json_out.empty()) {
    std::string lines;
    for (const auto& r : records) lines += r.dump() + "\n";
    append_lines_atomic(opts_.json_out, lines);
  }
  if (!opts_.metrics_out.empty()) {
    emitted_.insert(emitted_.end(), records.begin(), records.end());
    write_file_atomic(opts_.metrics_out, prometheus_text(emitted_));
  }
}

void Context::write_traffic(double duration_s) {
  if (opts_.traffic_out.empty()) return;
  // Each rank's row: bytes to every destination, as text so the bootstrap can carry it.
  std::string row;
  for (const auto& p : transport_->traffic().peers()) row += std::to_string(p.bytes) + " ";
  const std::vector<std::string> rows = boot_->allgather(row);
  if (rank() != 0) return;
  nlohmann::json matrix = nlohmann::json::array();
  for (const std::string& r : rows) {
    nlohmann::json line = nlohmann::json::array();
    std::size_t pos = 0;
    while (pos < r.size()) {
      const std::size_t next = r.find(' ', pos);
      line.push_back(std::stoull(r.substr(pos, next - pos)));
      pos = next + 1;
    }
    matrix.push_back(std::move(line));
  }
  nlohmann::json names = nlohmann::json::array();
  for (int r = 0; r < size(); ++r) names.push_back(std::to_string(r));
  const nlohmann::json doc = {{"format", "lightpath.traffic/1"},
                              {"level", "rank"},
                              {"unit", "bytes"},
                              {"duration_s", duration_s},
                              {"names", names},
                              {"hosts", rank_hosts_},
                              {"matrix", matrix},
                              {"source", record_base()}};
  write_file_atomic(opts_.traffic_out, doc.dump(1) + "\n");
}

int run_guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const Error& e) {
    int initialized = 0;
    int finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    int size = 1;
    if (initialized && !finalized) MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1) {
      std::fprintf(stderr, "lightpath: error: %s\n", e.what());
      std::fflush(stderr);
      transport::MpiSession::abort(e.exit_code());
    }
    throw;
  }
}

}  // namespace lp::bench
