// The lightpath binary: a table of every folder's subcommands, dispatched by CLI11.
#include "bench/allreduce/cli/allreduce_command.h"
#include "bench/train/cli/train_command.h"
#include "core/cli.h"
#include "transport/cli/transports_command.h"

int main(int argc, char** argv) {
  const std::vector<lp::cli::Command> commands = {
      lp::transport::transports_command(),
      lp::bench::allreduce::allreduce_command(),
      lp::bench::train::train_command(),
  };
  return lp::cli::run_main(argc, argv, commands);
}
