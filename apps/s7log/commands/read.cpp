// `s7log read`: reads addresses from a PLC and prints `ADDRESS = VALUE` lines or one JSON object.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
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

struct ReadArgs {
  ConnectionArgs conn;
  SymbolArgs symbols;
  bool json = false;
  std::vector<std::string> addresses;
};

// REAL as the shortest decimal that round-trips the float: parse that text as a double, which
// nlohmann prints again as the same short text (1.23, not 1.2300000190734863).
nlohmann::ordered_json float_json(float f) {
  if (!std::isfinite(f)) return nullptr;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  if (ec != std::errc()) return static_cast<double>(f);
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

nlohmann::ordered_json scalar_json(const s7::Scalar& s) {
  return std::visit(
      [](const auto& x) -> nlohmann::ordered_json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, float>) {
          return float_json(x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) return nullptr;
          return x;
        } else {
          return x;
        }
      },
      s);
}

nlohmann::ordered_json value_json(const s7::Value& v) {
  if (!v.array && v.elems.size() == 1) return scalar_json(v.elems[0]);
  auto arr = nlohmann::ordered_json::array();
  for (const auto& e : v.elems) arr.push_back(scalar_json(e));
  return arr;
}

int run_read(const ReadArgs& args) {
  // Addresses and options are checked before connecting.
  auto table = load_symbol_args(args.symbols);
  if (!table) {
    print_error(table.error().what());
    return kExitUsage;
  }
  std::vector<s7::Address> addresses;
  std::vector<std::string> labels;  // as typed, or a symbol's elements
  for (const auto& text : args.addresses) {
    auto found = addresses_or_symbol(text, *table);
    if (!found) {
      print_error(found.error().what());
      return kExitUsage;
    }
    for (const auto& [label, a] : *found) {
      if (auto readable = s7::check_readable(a); !readable) {
        print_error(readable.error().what());
        return kExitUsage;
      }
      labels.push_back(label);
      addresses.push_back(a);
    }
  }
  int exit_code = kExitOk;
  auto connected = connect_or_report(args.conn, exit_code);
  if (!connected) return exit_code;
  s7::Client& client = *connected;
  auto values = client.read_values(addresses);
  client.disconnect();
  int rc = kExitOk;
  auto out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& typed = labels[i];
    if (!values[i]) {
      print_error(with_typed_address(values[i].error().what(), addresses[i], typed));
      rc = kExitPlc;
      if (args.json) out[typed] = nullptr;
      continue;
    }
    if (args.json) {
      out[typed] = value_json(*values[i]);
    } else {
      std::printf("%s = %s\n", typed.c_str(), s7::format_value(*values[i]).c_str());
    }
  }
  if (args.json) {
    std::printf("%s\n",
                out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
  }
  return rc;
}

}  // namespace

void register_read(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<ReadArgs>();
  auto* cmd = app.add_subcommand("read", "Read values from a PLC and print them");
  add_connection_options(*cmd, args->conn);
  add_symbol_options(*cmd, args->symbols);
  cmd->add_flag("--json", args->json,
                "print one JSON object mapping each address (as typed) to its value");
  cmd->add_option(
         "ADDRESS", args->addresses,
         "S7 addresses, e.g. DB1.DBW4 DB1.DBD6:REAL DB1.DBX10.0 MW10 DB1.DBB0:BYTE[12], or "
         "symbols with --symbols: '\"Telemetry\".pressure'")
      ->required();
  cmd->footer(
      "Examples:\n"
      "  s7log read DB1.DBW4 DB1.DBD6:REAL DB1.DBB11\n"
      "  s7log read --host 10.0.0.5 --slot 1 --json DB1.DBX10.0 DB1.DBW20:INT\n"
      "  s7log read --symbols Telemetry.db --db-number 1 '\"Telemetry\".pressure'\n"
      "Exit codes: 0 ok, 1 PLC or connection error, 2 bad address or option.\n");
  cmd->callback([args, &selected] { selected = [args] { return run_read(*args); }; });
}

}  // namespace app
