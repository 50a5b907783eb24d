// Bringing a lab up from a fabric and a circuit configuration, and taking it down. `down`
// removes what a lab with the prefix is made of and nothing else: the namespaces named
// PREFIX-mgmt, PREFIX-b-*, PREFIX-h-* (their interfaces, addresses, routes and qdiscs go with
// them), the processes still inside them, the hosts' UTS namespace files and the state
// directory. It is idempotent; `up` refuses to start over any of it unless forced.
#pragma once

#include "lab/runner.h"

#include <string>
#include <utility>
#include <vector>

namespace lp::lab {

struct UpOptions {
  std::string fabric_file;
  std::string config_file;
  std::string prefix = "lp";
  double scale = 1e-3;
  int slots = 1;
  bool force = false;
};

struct UpReport {
  std::size_t blocks = 0;
  std::size_t hosts = 0;
  std::size_t circuits = 0;
  double rate_bps = 0;
  std::vector<std::pair<std::string, double>> steps;  // step name, seconds
  double seconds = 0;
};

UpReport lab_up(const UpOptions& options, const Runner& run);

struct Leftovers {
  std::vector<std::string> netns;
  bool state = false;  // the state directory exists
  bool empty() const { return netns.empty() && !state; }
};
Leftovers find_leftovers(const std::string& prefix);

struct DownReport {
  std::size_t netns = 0;
  std::size_t processes = 0;
  std::size_t uts = 0;
  bool state = false;
};
DownReport lab_down(const std::string& prefix, const Runner& run);

}  // namespace lp::lab
