#include "core/cli.h"

#include "core/error.h"
#include "lightpath/config.h"

#include <cstdio>
#include <memory>

namespace lp::cli {

Action add_commands(CLI::App& app, const std::vector<Command>& commands) {
  auto table = std::make_shared<std::vector<std::pair<CLI::App*, Action>>>();
  for (const Command& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    table->emplace_back(sub, c.setup(*sub));
  }
  app.require_subcommand(1);
  return [table]() -> int {
    for (auto& [sub, action] : *table) {
      if (sub->parsed()) return action();
    }
    return kExitBadInput;
  };
}

int run_main(int argc, char** argv, const std::vector<Command>& commands) {
  CLI::App app{"lightpath: network benchmarks for AI training and inference, traffic matrices, "
               "and optical circuit switch planning"};
  app.set_version_flag("--version", std::string(LP_VERSION) + " (" + LP_GIT_COMMIT + ")");
  Action action = add_commands(app, commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }
  try {
    return action();
  } catch (const Error& e) {
    std::fprintf(stderr, "lightpath: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lightpath: error: %s\n", e.what());
    return kExitFailure;
  }
}

}  // namespace lp::cli
