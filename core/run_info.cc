#include "core/run_info.h"

#include "lightpath/config.h"

#include <unistd.h>

#include <ctime>
#include <fstream>

namespace lp {

std::string iso8601_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string local_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

RunInfo RunInfo::current() {
  RunInfo info;
  info.version = LP_VERSION;
  info.git = LP_GIT_COMMIT;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string arg;
  while (std::getline(in, arg, '\0')) {
    if (!info.command.empty()) info.command += ' ';
    info.command += arg;
  }
  info.started = iso8601_now();
  info.host = local_hostname();
  return info;
}

}  // namespace lp
