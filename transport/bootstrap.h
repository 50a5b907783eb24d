// Bootstrap is not measurement: it only tells a rank who it is, exchanges the small blobs
// transports need to connect (addresses, keys), and synchronizes. Three implementations:
// MPI (under mpirun), a TCP rendezvous (perftest-style --listen/--connect runs without a
// launcher) and threads in one process (unit tests).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lp::transport {

class Bootstrap {
 public:
  virtual ~Bootstrap() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Every rank contributes `mine`; every rank gets all contributions, indexed by rank.
  // Blobs may differ in length.
  virtual std::vector<std::string> allgather(std::string_view mine) = 0;

  virtual void barrier() = 0;

  // "mpi", "tcp" or "threads": what launched the ranks.
  virtual std::string kind() const = 0;

  // Throws PeerLost naming a rank whose process is known to be gone (the TCP rendezvous sees
  // its connection close), without waiting. Cheap enough to call every 100 ms from a polling
  // loop; a no-op where the launcher itself ends the job when a rank dies (mpirun) or ranks
  // cannot die alone (threads). Lets a transport that cannot see a dead peer (shared memory,
  // RDMA) end a launcher-less run promptly instead of after --timeout.
  virtual void check_peers() {}
};

// Under mpirun (MPI must be initialized; see MpiSession).
std::unique_ptr<Bootstrap> make_mpi_bootstrap();

// TCP rendezvous. Rank 0 listens on `listen` ("HOST:PORT", HOST defaulting to 127.0.0.1
// when empty, e.g. ":18515"), the others connect to `connect` ("HOST:PORT"). `size` ranks in
// all; ranks other than 0 learn theirs from rank 0 in order of connection. Every wait is
// bounded by `timeout`.
std::unique_ptr<Bootstrap> make_tcp_bootstrap_listen(std::string_view listen, int size,
                                                     std::chrono::milliseconds timeout);
std::unique_ptr<Bootstrap> make_tcp_bootstrap_connect(std::string_view connect,
                                                      std::chrono::milliseconds timeout);

// `size` ranks as threads of this process: make_thread_bootstraps returns one per rank; hand
// each to its own thread.
std::vector<std::unique_ptr<Bootstrap>> make_thread_bootstraps(int size);

// Verifies every rank was started with the same `fingerprint` (e.g. the benchmark's
// arguments); throws InputError naming the ranks that differ.
void check_same_everywhere(Bootstrap& boot, std::string_view fingerprint, std::string_view what);

}  // namespace lp::transport
