// `s7log info`: prints the CPU identity (SZL 0x001C/0x0011) and its RUN/STOP state (SZL 0x0424).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "s7/client.hpp"

namespace app {
namespace {

struct InfoArgs {
  ConnectionArgs conn;
  bool json = false;
};

void line(const char* label, const std::string& value) {
  if (!value.empty()) std::printf("%-14s %s\n", label, value.c_str());
}

// The identity fields, in print order: JSON key, text label, where the CPU's answer holds it.
struct IdentityField {
  const char* key;
  const char* label;
  std::string s7::CpuInfoResult::*member;
};
constexpr IdentityField kIdentity[] = {
    {"order_code", "Order code:", &s7::CpuInfoResult::order_code},
    {"module", "Module:", &s7::CpuInfoResult::module_name},
    {"module_type", "Module type:", &s7::CpuInfoResult::module_type},
    {"firmware", "Firmware:", &s7::CpuInfoResult::firmware},
    {"as_name", "AS name:", &s7::CpuInfoResult::as_name},
    {"plant_id", "Plant id:", &s7::CpuInfoResult::plant_id},
    {"serial", "Serial:", &s7::CpuInfoResult::serial_number},
    {"copyright", "Copyright:", &s7::CpuInfoResult::copyright},
};

const char* state_text(s7::PlcRunState s) {
  return s == s7::PlcRunState::run ? "RUN" : s == s7::PlcRunState::stop ? "STOP" : "unknown";
}

int run_info(const InfoArgs& args) {
  int exit_code = kExitOk;
  auto connected = connect_or_report(args.conn, exit_code);
  if (!connected) return exit_code;
  s7::Client& client = *connected;
  auto info = client.cpu_info();
  if (!info) print_error("CPU identity: " + info.error().what());
  auto state = client.connected() ? client.cpu_state() : s7::Result<s7::PlcRunState>(info.error());
  if (!state) print_error("CPU state: " + state.error().what());
  if (args.json) {
    // One object; identity fields the CPU did not give are null, like a state it did not give.
    nlohmann::ordered_json j;
    j["plc"] = client.options().describe();
    j["pdu_length"] = client.pdu_length();
    j["parallel_jobs"] = client.max_parallel();
    for (const auto& f : kIdentity) {
      const std::string* value = info ? &((*info).*f.member) : nullptr;
      j[f.key] = value && !value->empty() ? nlohmann::ordered_json(*value) : nullptr;
    }
    j["state"] = state ? nlohmann::ordered_json(state_text(*state)) : nullptr;
    std::printf("%s\n", j.dump().c_str());
  } else {
    line("PLC:", client.options().describe());
    line("PDU length:", std::to_string(client.pdu_length()) + " bytes, " +
                            std::to_string(client.max_parallel()) + " parallel jobs");
    if (info)
      for (const auto& f : kIdentity) line(f.label, (*info).*f.member);
    line("State:", state ? state_text(*state) : "unknown");
  }
  client.disconnect();
  return info || state ? kExitOk : kExitPlc;
}

}  // namespace

void register_info(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app.add_subcommand("info", "Print the CPU's identity and RUN/STOP state");
  add_connection_options(*cmd, args->conn);
  cmd->add_flag("--json", args->json,
                "Print one JSON object (plc, pdu_length, parallel_jobs, order_code, module, "
                "module_type, firmware, as_name, plant_id, serial, copyright, state)");
  cmd->footer(
      "Example:\n"
      "  s7log info --host 10.0.0.5 --slot 1\n"
      "  s7log info --json\n"
      "Exit codes: 0 ok, 1 PLC or connection error, 2 bad option.\n");
  cmd->callback([args, &selected] { selected = [args] { return run_info(*args); }; });
}

}  // namespace app
