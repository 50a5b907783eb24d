#include "transport/cli/transports_command.h"

#include "transport/transport.h"

#include <cstdio>

namespace lp::transport {

cli::Command transports_command() {
  return {"transports", "list the transports this build has and whether each can run here",
          [](CLI::App&) -> cli::Action {
            return [] {
              std::printf("%-8s %s\n", "name", "status");
              for (const BackendInfo& b : backends()) {
                std::printf("%-8s %s\n", b.name.c_str(),
                            b.unavailable_reason.empty() ? "available"
                                                         : ("unavailable: " + b.unavailable_reason).c_str());
              }
              return 0;
            };
          }};
}

}  // namespace lp::transport
