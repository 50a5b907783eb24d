// Error policy (docs/errors.md):
//  - InputError: something the user gave us is wrong (a flag, a file). Exit status 2.
//  - PeerLost:   another rank stopped answering or died. Exit status 3.
//  - Error:      any other failure the caller may handle. Exit status 1.
//  - LP_ENFORCE: an internal invariant; prints both values and throws Error.
// Destructors never throw: they log with log_destructor_error().
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace lp {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitPeerLost = 3 };

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual int exit_code() const { return kExitFailure; }
};

class InputError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return kExitBadInput; }
};

class PeerLost : public Error {
 public:
  PeerLost(int peer, const std::string& what) : Error(what), peer_(peer) {}
  int peer() const { return peer_; }
  int exit_code() const override { return kExitPeerLost; }

 private:
  int peer_;
};

// An InputError that names the file (or flag) and the problem: "FILE: problem".
InputError input_error(std::string_view source, std::string_view problem);

// For use in destructors and other places that must not throw.
void log_destructor_error(std::string_view where, std::string_view what) noexcept;

namespace detail {
[[noreturn]] void enforce_failed(const char* file, int line, const char* expr,
                                 const std::string& values, const std::string& message);
}  // namespace detail

}  // namespace lp

// LP_ENFORCE_OP(a, ==, b, "context"): on failure throws lp::Error naming both values.
#define LP_ENFORCE_OP(a, op, b, ...)                                                     \
  do {                                                                                   \
    const auto& lp_enforce_a = (a);                                                      \
    const auto& lp_enforce_b = (b);                                                      \
    if (!(lp_enforce_a op lp_enforce_b)) {                                               \
      ::lp::detail::enforce_failed(__FILE__, __LINE__, #a " " #op " " #b,                \
                                   fmt::format("{} vs {}", lp_enforce_a, lp_enforce_b),  \
                                   fmt::format("" __VA_ARGS__));                         \
    }                                                                                    \
  } while (0)
#define LP_ENFORCE_EQ(a, b, ...) LP_ENFORCE_OP(a, ==, b, __VA_ARGS__)
#define LP_ENFORCE_LE(a, b, ...) LP_ENFORCE_OP(a, <=, b, __VA_ARGS__)
#define LP_ENFORCE_LT(a, b, ...) LP_ENFORCE_OP(a, <, b, __VA_ARGS__)
#define LP_ENFORCE(cond, ...)                                                            \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      ::lp::detail::enforce_failed(__FILE__, __LINE__, #cond, "", fmt::format("" __VA_ARGS__)); \
    }                                                                                    \
  } while (0)
