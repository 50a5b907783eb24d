// The lightpath binary: a table of every folder's subcommands, dispatched by CLI11.
#include "bench/rpc/cli/rpc_command.h"
#include "core/cli.h"
#include "transport/cli/transports_command.h"

int main(int argc, char** argv) {
  const std::vector<lp::cli::Command> commands = {
      lp::transport::transports_command(),
      lp::bench::rpc::rpc_command(),
  };
  return lp::cli::run_main(argc, argv, commands);
}
