// Shared by every fuzz target: inputs a parser must reject cleanly throw lp::InputError (or
// lp::Error for decoders); anything else escaping (a crash, another exception, a sanitizer
// report) is a bug that libFuzzer reports.
#pragma once

#include "core/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

#define LP_FUZZ_TARGET(body)                                                     \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    const std::string input(reinterpret_cast<const char*>(data), size);          \
    try {                                                                        \
      body                                                                       \
    } catch (const lp::Error&) {                                                 \
    }                                                                            \
    return 0;                                                                    \
  }
