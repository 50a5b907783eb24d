#include "bench/common/context.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/sizes.h"

#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <thread>

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
  // More ranks here than cores (mpirun --oversubscribe): busy waits must share the cores.
  const auto here = std::count(rank_hosts_.begin(), rank_hosts_.end(), info_.host);
  topts.yield_when_idle = here > static_cast<long>(std::thread::hardware_concurrency());
  transport_ = transport::make_transport(opts_.transport, *boot_, topts);
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
          {"started", info_.started}};
}

void Context::emit(const std::vector<nlohmann::json>& records) const {
  if (rank() != 0 || opts_.json_out.empty() || records.empty()) return;
  std::string lines;
  for (const auto& r : records) lines += r.dump() + "\n";
  append_lines_atomic(opts_.json_out, lines);
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
