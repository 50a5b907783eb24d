#include "bench/common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace lp::bench {

Progress::Progress(std::string what, std::size_t total, bool enabled)
    : what_(std::move(what)), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { clear(); }

void Progress::clear() {
  if (!drawn_) return;
  std::fputs("\033[K", stderr);  // the cursor is at the line's start: leave the terminal clean
  std::fflush(stderr);
  drawn_ = false;
}

bool Progress::stderr_is_terminal() {
  if (::isatty(STDERR_FILENO) == 1) return true;
  char target[256] = {};
  const std::string link = fmt::format("/proc/{}/fd/2", ::getppid());
  const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  if (n <= 0) return false;
  const std::string path(target, static_cast<std::size_t>(n));
  return path.rfind("/dev/pts/", 0) == 0 || path.rfind("/dev/tty", 0) == 0;
}

Progress Progress::for_rank(std::string what, std::size_t total, int rank) {
  return Progress(std::move(what), total, rank == 0 && stderr_is_terminal());
}

std::string Progress::line(const std::string& what, const std::string& label, std::size_t done,
                           std::size_t total, double elapsed_s) {
  std::string out = fmt::format("{}: {} ({}/{}), {:.1f} s", what, label, done, total, elapsed_s);
  if (done > 0 && done < total) {
    out += fmt::format(", about {:.1f} s left", elapsed_s / static_cast<double>(done) *
                                                     static_cast<double>(total - done));
  }
  return out;
}

void Progress::step(const std::string& label) {
  ++done_;
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\033[K%s\r", line(what_, label, done_, total_, elapsed).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace lp::bench
