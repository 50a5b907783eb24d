#include "bench/allreduce/mpi_baseline.h"

#include "bench/allreduce/partition.h"
#include "core/error.h"

#include <mpi.h>

#include <climits>

namespace lp::bench::allreduce {
namespace {

MPI_Datatype mpi_type(Dtype d) {
  switch (d) {
    case Dtype::kF32: return MPI_FLOAT;
    case Dtype::kF64: return MPI_DOUBLE;
    case Dtype::kI32: return MPI_INT32_T;
    case Dtype::kI64: return MPI_INT64_T;
    default: return MPI_DATATYPE_NULL;
  }
}

MPI_Op mpi_op(Op op) {
  switch (op) {
    case Op::kSum: return MPI_SUM;
    case Op::kMax: return MPI_MAX;
    case Op::kMin: return MPI_MIN;
    case Op::kBand: return MPI_BAND;
    case Op::kBor: return MPI_BOR;
    case Op::kBxor: return MPI_BXOR;
  }
  return MPI_OP_NULL;
}

class MpiPlan final : public Plan {
 public:
  explicit MpiPlan(const Job& job)
      : job_(job), type_(mpi_type(job.red.dtype)), op_(mpi_op(job.red.op)),
        pieces_(mpi_pieces(job.count)) {}

  void run() override {
    for (const Span& p : pieces_) {
      const void* send = job_.in_place() ? MPI_IN_PLACE : job_.src_at(p.offset);
      const int rc = MPI_Allreduce(send, job_.dst_at(p.offset), static_cast<int>(p.count), type_,
                                   op_, MPI_COMM_WORLD);
      if (rc != MPI_SUCCESS) throw Error(fmt::format("MPI_Allreduce failed (error {})", rc));
    }
  }

 private:
  Job job_;
  MPI_Datatype type_;
  MPI_Op op_;
  std::vector<Span> pieces_;
};

}  // namespace

void check_mpi_types(Dtype d, Op op) {
  if (mpi_type(d) == MPI_DATATYPE_NULL) {
    throw input_error("--algo mpi", fmt::format("MPI has no {} type (it takes f32, f64, i32 and "
                                                "i64)",
                                                name(d)));
  }
  require_supported(d, op);
}

void check_mpi_launcher(std::string_view launcher) {
  if (launcher != "mpi") {
    throw input_error("--algo mpi", "MPI_Allreduce needs ranks launched by mpirun (this run was "
                                    "started with --listen/--connect)");
  }
}

std::unique_ptr<Plan> prepare_mpi_baseline(const Job& job) { return std::make_unique<MpiPlan>(job); }

std::vector<Span> mpi_pieces(std::size_t count) {
  constexpr std::size_t kMax = INT_MAX;
  std::vector<Span> out;
  for (std::size_t offset = 0; offset < count; offset += kMax) {
    out.push_back({offset, count - offset < kMax ? count - offset : kMax});
  }
  return out;
}

}  // namespace lp::bench::allreduce
