// The one way the lab runs `ip` and `tc`: checked (a failure throws Error naming the command,
// the batch line that failed and the tool's stderr) and, with verbose, logged on stderr as a
// shell would show it. Batches (`ip -n NS -batch -`) keep the number of processes small: one
// per namespace and step, not one per interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lp::lab {

class Runner {
 public:
  explicit Runner(bool verbose = false) : verbose_(verbose) {}

  // Runs `argv` (found on PATH) with `input` on its stdin; returns its stdout.
  std::string run(const std::vector<std::string>& argv, std::string_view input = {}) const;

  // `ip [-n NETNS] -batch -` and `tc [-n NETNS] -batch -` over `lines`; an empty `netns` is
  // the namespace lightpath runs in. Nothing runs for no lines.
  void ip_batch(const std::string& netns, const std::vector<std::string>& lines) const;
  void tc_batch(const std::string& netns, const std::vector<std::string>& lines) const;

  bool verbose() const { return verbose_; }

 private:
  void batch(const char* tool, const std::string& netns, const std::vector<std::string>& lines) const;

  bool verbose_;
};

}  // namespace lp::lab
