// The one binary's subcommands. Each folder's cli/ offers Commands; bench/main.cc lists them
// in a table and CLI11 dispatches by name.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace lp::cli {

using Action = std::function<int()>;

struct Command {
  const char* name;
  const char* summary;
  // Adds the subcommand's options to `sub`; returns what to run when it is chosen. The
  // action reads the options `setup` bound, so they must outlive it (capture shared state).
  std::function<Action(CLI::App& sub)> setup;
};

// Runs `argv` against `commands`: parses, runs the chosen action, maps lp errors to exit
// codes (docs/errors.md) and prints them on stderr prefixed with "lightpath:".
int run_main(int argc, char** argv, const std::vector<Command>& commands);

}  // namespace lp::cli

namespace lp::cli {
// Adds `commands` as subcommands of `app` (one required) and returns an action that runs the
// chosen one. Used by main and by command groups such as `topo` or `ocs`.
Action add_commands(CLI::App& app, const std::vector<Command>& commands);
}  // namespace lp::cli
