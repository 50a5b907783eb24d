// The lightpath binary: a table of every folder's subcommands, dispatched by CLI11.
#include "bench/allreduce/cli/allreduce_command.h"
#include "bench/compare/cli/compare_command.h"
#include "bench/p2p/cli/p2p_command.h"
#include "bench/rpc/cli/rpc_command.h"
#include "bench/summary/cli/summary_command.h"
#include "bench/train/cli/train_command.h"
#include "core/cli.h"
#include "lab/cli/lab_command.h"
#include "ocs/cli/ocs_command.h"
#include "topo/cli/topo_command.h"
#include "transport/cli/transports_command.h"

int main(int argc, char** argv) {
  const std::vector<lp::cli::Command> commands = {
      lp::bench::p2p::p2p_command(),
      lp::bench::allreduce::allreduce_command(),
      lp::bench::train::train_command(),
      lp::bench::rpc::rpc_command(),
      lp::bench::compare_command(),
      lp::bench::summary_command(),
      lp::topo::topo_command(),
      lp::topo::traffic_command(),
      lp::ocs::ocs_command(),
      lp::lab::lab_command(),
      lp::transport::transports_command(),
  };
  return lp::cli::run_main(argc, argv, commands);
}
