// --symbols / --db-number / --cpu (see symbol_options.hpp).
#include "symbol_options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>

#include "symbols/load.hpp"
#include "util/text.hpp"

namespace app {

namespace {

std::optional<std::uint16_t> db_number_of(std::string_view text) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

void add_symbol_options(CLI::App& cmd, SymbolArgs& args, bool files_option) {
  if (files_option)
    cmd.add_option("--symbols", args.files,
                   "the PLC program's DB/UDT/FB sources or tag tables (.db .udt .scl .awl .sdf "
                   ".asc .csv), for symbolic addresses like '\"Telemetry\".pressure' "
                   "(repeatable; docs/symbols.md)")
        ->type_name("FILE")
        ->allow_extra_args(false);
  cmd.add_option("--db-number", args.db_numbers,
                 "the DB number of a TIA source, which carries none: N for the one DB, or NAME=N "
                 "(repeatable)")
      ->type_name("[NAME=]N")
      ->allow_extra_args(false);
  cmd.add_option("--cpu", args.cpu,
                 "the CPU family whose types exist: 300, 400, 1200 or 1500 (default 1500)")
      ->type_name("FAMILY");
}

s7::Result<symbols::SymbolOptions> symbol_options_of(const SymbolArgs& args) {
  auto bad = [](std::string m) { return s7::Error(s7::Errc::invalid_argument, std::move(m)); };
  if (args.files.empty() && (!args.db_numbers.empty() || !args.cpu.empty()))
    return bad(std::string(args.cpu.empty() ? "--db-number" : "--cpu") +
               " needs --symbols FILE (the sources it applies to)");
  symbols::SymbolOptions o;
  o.files = args.files;
  if (!args.cpu.empty()) {
    auto cpu = symbols::parse_cpu(args.cpu);
    if (!cpu) return bad("--cpu " + util::escape_control(args.cpu) + ": " + cpu.error().what());
    o.cpu = *cpu;
  }
  for (const auto& d : args.db_numbers) {
    const auto eq = d.find('=');
    const auto num = db_number_of(eq == std::string::npos ? d : d.substr(eq + 1));
    if (!num || eq == 0)
      return bad("--db-number " + util::escape_control(d) +
                 ": expected N or NAME=N with N in 1..65535, e.g. Telemetry=1");
    if (eq != std::string::npos)
      o.db_numbers[d.substr(0, eq)] = *num;
    else if (o.db_number)
      return bad("--db-number given twice without a name; name each DB: NAME=N");
    else
      o.db_number = *num;
  }
  return o;
}

s7::Result<std::optional<symbols::SymbolTable>> load_symbol_args(const SymbolArgs& args) {
  auto o = symbol_options_of(args);
  if (!o) return o.error();
  if (o->empty()) return std::optional<symbols::SymbolTable>{};
  auto table = symbols::load_symbols(*o);
  if (!table) return table.error();
  return std::optional<symbols::SymbolTable>{std::move(*table)};
}

s7::Result<s7::Address> address_or_symbol(const std::string& text,
                                          const std::optional<symbols::SymbolTable>& table) {
  if (!symbols::SymbolTable::is_symbol(text, table.has_value())) return s7::parse_address(text);
  if (!table)
    return s7::Error(s7::Errc::invalid_argument,
                     "'" + util::escape_control(text) +
                         "' is a symbol: give the PLC program's source with --symbols FILE "
                         "(docs/symbols.md)");
  auto r = table->resolve(text);
  if (!r) return r.error();
  return symbols::single_address(*r);
}

s7::Result<std::vector<std::pair<std::string, s7::Address>>> addresses_or_symbol(
    const std::string& text, const std::optional<symbols::SymbolTable>& table) {
  std::vector<std::pair<std::string, s7::Address>> out;
  if (!symbols::SymbolTable::looks_symbolic(text) || !table) {
    auto a = address_or_symbol(text, table);
    if (!a) return a.error();
    out.emplace_back(text, *a);
    return out;
  }
  auto r = table->resolve(text);
  if (!r) return r.error();
  for (const auto& l : r->leaves)
    out.emplace_back(l.suffix.empty() ? text : r->symbol + l.suffix, l.address);
  if (out.empty())
    return s7::Error(s7::Errc::invalid_argument, r->symbol + " holds no value s7log can read");
  return out;
}

}  // namespace app
