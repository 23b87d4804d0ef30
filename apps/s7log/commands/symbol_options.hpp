// --symbols FILE, --db-number [NAME=]N and --cpu FAMILY: the PLC program's sources for the
// commands that take symbolic addresses (read, write, symbols).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "s7/error.hpp"
#include "symbols/load.hpp"
#include "symbols/symbol_table.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace app {

struct SymbolArgs {
  std::vector<std::string> files;
  std::vector<std::string> db_numbers;  // "N" or "NAME=N"
  std::string cpu;                      // empty: 1500
};

// Adds the options; `files_option` false for `s7log symbols`, which takes its files as arguments.
void add_symbol_options(CLI::App& cmd, SymbolArgs& args, bool files_option = true);

// The options, checked (--cpu a family, --db-number N or NAME=N, not both without --symbols).
s7::Result<symbols::SymbolOptions> symbol_options_of(const SymbolArgs& args);

// The table, or nullopt when no files were given (then --db-number and --cpu are errors).
// Errors name the option or the file and line.
s7::Result<std::optional<symbols::SymbolTable>> load_symbol_args(const SymbolArgs& args);

// `text` as an address: a symbol through `table` (an elementary member or one element; a
// struct or array is an error that lists a few of its members), else s7::parse_address.
s7::Result<s7::Address> address_or_symbol(const std::string& text,
                                          const std::optional<symbols::SymbolTable>& table);

// `text` as the values it names, each with its label: an address or an elementary member gives
// itself; a struct or array member one per element ("Plant".motor[1].speed, ...).
s7::Result<std::vector<std::pair<std::string, s7::Address>>> addresses_or_symbol(
    const std::string& text, const std::optional<symbols::SymbolTable>& table);

}  // namespace app
