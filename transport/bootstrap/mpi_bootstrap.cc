#include "core/error.h"
#include "transport/bootstrap.h"
#include "transport/mpi/mpi_check.h"

#include <mpi.h>

#include <numeric>

namespace lp::transport {
namespace {

class MpiBootstrap final : public Bootstrap {
 public:
  MpiBootstrap() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) throw Error("the MPI bootstrap needs MPI to be initialized first");
    check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  ~MpiBootstrap() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&comm_);
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string kind() const override { return "mpi"; }

  std::vector<std::string> allgather(std::string_view mine) override {
    LP_ENFORCE_LE(mine.size(), static_cast<std::size_t>(1 << 30), "bootstrap blob too large");
    const int len = static_cast<int>(mine.size());
    std::vector<int> lens(static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, comm_), "MPI_Allgather");
    std::vector<int> displs(lens.size());
    std::exclusive_scan(lens.begin(), lens.end(), displs.begin(), 0);
    std::string all(static_cast<std::size_t>(displs.back() + lens.back()), '\0');
    check_mpi(MPI_Allgatherv(mine.data(), len, MPI_BYTE, all.data(), lens.data(), displs.data(),
                         MPI_BYTE, comm_),
          "MPI_Allgatherv");
    std::vector<std::string> out(lens.size());
    for (std::size_t r = 0; r < lens.size(); ++r) {
      out[r] = all.substr(static_cast<std::size_t>(displs[r]), static_cast<std::size_t>(lens[r]));
    }
    return out;
  }

  void barrier() override { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

std::unique_ptr<Bootstrap> make_mpi_bootstrap() { return std::make_unique<MpiBootstrap>(); }

}  // namespace lp::transport
