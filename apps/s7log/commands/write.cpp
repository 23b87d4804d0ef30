// `s7log write`: writes ADDRESS=VALUE pairs to a PLC (BOOLs with bit access, neighbours kept).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "s7/address.hpp"
#include "s7/client.hpp"
#include "s7/value.hpp"
#include "symbol_options.hpp"

namespace app {
namespace {

struct WriteArgs {
  ConnectionArgs conn;
  SymbolArgs symbols;
  std::vector<std::string> assignments;
};

int run_write(const WriteArgs& args) {
  // Every assignment is parsed before connecting: a typo never half-writes a batch.
  std::vector<std::string> typed;
  std::vector<s7::Address> addresses;
  std::vector<s7::Value> values;
  auto table = load_symbol_args(args.symbols);
  if (!table) {
    print_error(table.error().what());
    return kExitUsage;
  }
  for (const auto& text : args.assignments) {
    // The first '=' outside a quoted symbol ("Tank=1".level=5).
    std::size_t eq = std::string::npos;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size() && eq == std::string::npos; ++i) {
      if (text[i] == '"') quoted = !quoted;
      if (text[i] == '=' && !quoted) eq = i;
    }
    if (eq == std::string::npos) {
      print_error(text + ": expected ADDRESS=VALUE, e.g. DB1.DBW20:INT=123");
      return kExitUsage;
    }
    const std::string addr_text = text.substr(0, eq);
    auto a = address_or_symbol(addr_text, *table);
    if (!a) {
      print_error(a.error().what());
      return kExitUsage;
    }
    if (auto writable = s7::check_writable(*a); !writable) {
      print_error(writable.error().what());
      return kExitUsage;
    }
    auto v = s7::parse_value(*a, std::string_view(text).substr(eq + 1));
    if (!v) {
      print_error(with_typed_address(v.error().what(), *a, addr_text));
      return kExitUsage;
    }
    typed.push_back(addr_text);
    addresses.push_back(*a);
    values.push_back(std::move(*v));
  }
  int exit_code = kExitOk;
  auto connected = connect_or_report(args.conn, exit_code);
  if (!connected) return exit_code;
  s7::Client& client = *connected;
  auto results = client.write_values(addresses, values);
  client.disconnect();
  int rc = kExitOk;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i]) {
      std::printf("%s = %s written\n", typed[i].c_str(), s7::format_value(values[i]).c_str());
    } else {
      print_error(with_typed_address(results[i].error().what(), addresses[i], typed[i]));
      rc = kExitPlc;
    }
  }
  return rc;
}

}  // namespace

void register_write(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<WriteArgs>();
  auto* cmd = app.add_subcommand("write", "Write values to a PLC");
  add_connection_options(*cmd, args->conn);
  add_symbol_options(*cmd, args->symbols);
  cmd->add_option("ASSIGNMENT", args->assignments,
                  "ADDRESS=VALUE pairs, e.g. DB1.DBW20:INT=123 DB1.DBX26.0:BOOL=true, or "
                  "SYMBOL=VALUE with --symbols: '\"Telemetry\".setpoint_int=120'")
      ->required();
  cmd->footer(
      "Examples:\n"
      "  s7log write DB1.DBW20:INT=123 DB1.DBD22:REAL=3.5\n"
      "  s7log write DB1.DBX26.1:BOOL=true      (bit access: the other bits of byte 26 stay)\n"
      "  s7log write --symbols Telemetry.db --db-number 1 '\"Telemetry\".setpoint_real=2.5'\n"
      "Exit codes: 0 ok, 1 PLC or connection error, 2 bad address, value or option.\n");
  cmd->callback([args, &selected] { selected = [args] { return run_write(*args); }; });
}

}  // namespace app
