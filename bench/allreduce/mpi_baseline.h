// `--algo mpi`: MPI_Allreduce itself on MPI_COMM_WORLD, the baseline the other algorithms
// are measured against. It needs ranks launched by mpirun, and a type MPI has (not f16 or
// bf16). Never chosen by `auto`.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/partition.h"

#include <string_view>
#include <vector>

namespace lp::bench::allreduce {

inline constexpr std::string_view kMpiName = "mpi";

// Throws InputError naming --algo when MPI has no such type or operation.
void check_mpi_types(Dtype d, Op op);
// Throws InputError naming --algo when the ranks were not launched by mpirun (`launcher` is
// the bootstrap's kind()): MPI_Allreduce needs MPI_COMM_WORLD.
void check_mpi_launcher(std::string_view launcher);

// MPI_Allreduce of the job; counts past INT_MAX go in INT_MAX-element pieces.
std::unique_ptr<Plan> prepare_mpi_baseline(const Job& job);

// The element spans of those pieces (split out to test the arithmetic without the memory).
std::vector<Span> mpi_pieces(std::size_t count);

}  // namespace lp::bench::allreduce
