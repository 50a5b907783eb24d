// MPI return codes as errors: the call that failed and MPI's own words for why.
#pragma once

#include "core/error.h"

#include <fmt/format.h>
#include <mpi.h>

#include <string>

namespace lp::transport {

inline void check_mpi(int rc, const char* call) {
  if (rc != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw Error(fmt::format("{} failed: {}", call, std::string(text, static_cast<std::size_t>(len))));
  }
}

}  // namespace lp::transport
