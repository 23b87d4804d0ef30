// s7log entry point: builds the command line, runs the chosen command, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "commands.hpp"

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
  CLI11_PARSE(app, argc, argv);
  try {
    return selected ? selected() : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "s7log: %s\n", e.what());
    return 1;
  }
}
