// `s7log info`: prints the CPU identity (SZL 0x001C/0x0011) and its RUN/STOP state (SZL 0x0424).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "s7/client.hpp"

namespace app {
namespace {

struct InfoArgs {
  ConnectionArgs conn;
};

void line(const char* label, const std::string& value) {
  if (!value.empty()) std::printf("%-14s %s\n", label, value.c_str());
}

int run_info(const InfoArgs& args) {
  int exit_code = kExitOk;
  auto connected = connect_or_report(args.conn, exit_code);
  if (!connected) return exit_code;
  s7::Client& client = *connected;
  line("PLC:", client.options().describe());
  line("PDU length:", std::to_string(client.pdu_length()) + " bytes, " +
                          std::to_string(client.max_parallel()) + " parallel jobs");
  auto info = client.cpu_info();
  if (info) {
    line("Order code:", info->order_code);
    line("Module:", info->module_name);
    line("Module type:", info->module_type);
    line("Firmware:", info->firmware);
    line("AS name:", info->as_name);
    line("Plant id:", info->plant_id);
    line("Serial:", info->serial_number);
    line("Copyright:", info->copyright);
  } else {
    print_error("CPU identity: " + info.error().what());
  }
  auto state = client.connected() ? client.cpu_state() : s7::Result<s7::PlcRunState>(info.error());
  if (state) {
    const char* text = *state == s7::PlcRunState::run    ? "RUN"
                       : *state == s7::PlcRunState::stop ? "STOP"
                                                         : "unknown";
    line("State:", text);
  } else {
    line("State:", "unknown");
    print_error("CPU state: " + state.error().what());
  }
  client.disconnect();
  return info || state ? kExitOk : kExitPlc;
}

}  // namespace

void register_info(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app.add_subcommand("info", "Print the CPU's identity and RUN/STOP state");
  add_connection_options(*cmd, args->conn);
  cmd->footer(
      "Example:\n"
      "  s7log info --host 10.0.0.5 --slot 1\n"
      "Exit codes: 0 ok, 1 PLC or connection error, 2 bad option.\n");
  cmd->callback([args, &selected] { selected = [args] { return run_info(*args); }; });
}

}  // namespace app
