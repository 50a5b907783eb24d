// A progress line for long sweeps: rank 0 shows, on stderr, the point just measured, the time
// spent and an estimate of the time left, rewriting one line, only when stderr is a terminal
// (a log file or a batch job's output gets nothing). Under mpirun a rank's stderr is a pipe to
// the launcher, so the launcher's own stderr decides. The line is drawn with the cursor left at
// its start, so table rows (longer, on stdout, which the launcher forwards separately and in no
// fixed order with stderr) simply overwrite it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace lp::bench {

class Progress {
 public:
  // `enabled` is usually (rank == 0 && stderr is a terminal); see for_rank().
  Progress(std::string what, std::size_t total, bool enabled);
  ~Progress();
  static Progress for_rank(std::string what, std::size_t total, int rank);
  // Whether this process's stderr, or else its launcher's (the parent process), is a terminal.
  static bool stderr_is_terminal();

  // After each point: `label` names it (e.g. "size 64K").
  void step(const std::string& label);
  // Wipes the line (the destructor does too).
  void clear();

  // The line for `done` of `total` points after `elapsed`, without writing it.
  static std::string line(const std::string& what, const std::string& label, std::size_t done,
                          std::size_t total, double elapsed_s);

 private:
  std::string what_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace lp::bench
