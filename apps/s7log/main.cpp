// s7log entry point: builds the command line, runs the chosen command, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "commands/connection_options.hpp"

int main(int argc, char** argv) {
  CLI::App app{"s7log: S7 PLC data logger, fake PLC and tools (S7comm over ISO-on-TCP)"};
  app.set_version_flag("--version", std::string("s7log ") + S7LOG_VERSION);
  app.require_subcommand(1);
  app::Runner selected;
#ifdef S7LOG_CMD_READ
  app::register_read(app, selected);
#endif
#ifdef S7LOG_CMD_WRITE
  app::register_write(app, selected);
#endif
#ifdef S7LOG_CMD_INFO
  app::register_info(app, selected);
#endif
#ifdef S7LOG_CMD_FAKEPLC
  app::register_fakeplc(app, selected);
#endif
#ifdef S7LOG_CMD_RUN
  app::register_run(app, selected);
#endif
#ifdef S7LOG_CMD_PLAN
  app::register_plan(app, selected);
#endif
#ifdef S7LOG_CMD_PLOT
  app::register_plot(app, selected);
#endif
#ifdef S7LOG_CMD_DEMO
  app::register_demo(app, selected);
#endif
#ifdef S7LOG_CMD_BENCH
  app::register_bench(app, selected);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too (exit 0); every real parse error is a usage error (2).
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::string names;
      for (const auto* sub : app.get_subcommands({}))
        names += (names.empty() ? "" : ", ") + sub->get_name();
      std::fprintf(stderr, "s7log: unknown command '%s' (commands: %s; s7log --help)\n", argv[1],
                   names.c_str());
      return app::kExitUsage;
    }
    return app.exit(e) == 0 ? 0 : app::kExitUsage;
  }
  try {
    return selected ? selected() : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "s7log: %s\n", e.what());
    return 1;
  }
}
