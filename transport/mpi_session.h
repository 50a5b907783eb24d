// Owns MPI_Init/MPI_Finalize for a process launched by mpirun.
#pragma once

namespace lp::transport {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // Ends the whole job at once (MPI_Abort): for faults after which peers may be stuck.
  [[noreturn]] static void abort(int code);
};

}  // namespace lp::transport
