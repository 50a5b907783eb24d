// What every result record says about the run that produced it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lp {

struct RunInfo {
  std::string version;   // LP_VERSION
  std::string git;       // commit lightpath was built from
  std::string command;   // the command line, as typed
  std::string started;   // ISO 8601, UTC
  std::string host;      // this process's host name

  // Reads the command line from /proc/self/cmdline, so any library code can describe its run.
  static RunInfo current();
};

// ISO 8601 UTC with seconds, e.g. "2026-11-25T12:54:34Z".
std::string iso8601_now();
std::string local_hostname();

}  // namespace lp
