// The lightpath binary: a table of every folder's subcommands, dispatched by CLI11.
#include "core/cli.h"
#include "ocs/cli/ocs_command.h"
#include "transport/cli/transports_command.h"

int main(int argc, char** argv) {
  const std::vector<lp::cli::Command> commands = {
      lp::transport::transports_command(),
      lp::ocs::ocs_command(),
  };
  return lp::cli::run_main(argc, argv, commands);
}
