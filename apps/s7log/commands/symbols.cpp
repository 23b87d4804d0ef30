// `s7log symbols`: the addresses s7log computes from the PLC program's sources: a member table,
// or ready [[tag]] tables for a logger config (--toml). No PLC needed.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "s7/address.hpp"
#include "symbol_options.hpp"
#include "symbols/layout.hpp"
#include "util/text.hpp"

namespace app {

namespace {

struct SymbolsArgs {
  SymbolArgs symbols;
  bool toml = false;
};

// A TOML basic string.
std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Where a member is: its address in a DB with a number, else its offset (a UDT's members).
std::string where(const symbols::Placed& m, std::optional<std::uint16_t> db) {
  if (m.address && db) return s7::to_string(*m.address);
  if (db) return "DB" + std::to_string(*db) + ".DBB" + std::to_string(m.offset);
  std::string s = "+" + std::to_string(m.offset);
  if (m.kind == symbols::Placed::Kind::elementary && m.bits == 1) s += "." + std::to_string(m.bit);
  return s;
}

std::string size_text(const symbols::Placed& m) {
  if (m.bits == 1) return "1 bit";
  if (m.bits > 0 && m.size * 8 != m.bits)
    return std::to_string(m.bits) + " bits (" + std::to_string(m.size) + " bytes)";
  return std::to_string(m.size) + (m.size == 1 ? " byte" : " bytes");
}

void print_table(const symbols::SymbolTable& table) {
  bool first = true;
  for (const auto& l : table.layouts()) {
    const bool db = l.kind == symbols::Block::Kind::data_block;
    if (!first) std::printf("\n");
    first = false;
    std::printf("%s \"%s\"%s: %u bytes, standard access, %s (%s)\n", db ? "DB" : "UDT",
                l.block.c_str(),
                db && l.number ? (" = DB" + std::to_string(*l.number)).c_str() : "", l.size,
                std::string(symbols::to_string(table.cpu())).c_str(), l.file.c_str());
    std::size_t name_w = 4, where_w = 7, type_w = 4;
    for (const auto& m : l.members) {
      name_w = std::max(name_w, m.path.size() + 2 * static_cast<std::size_t>(m.depth));
      where_w = std::max(where_w, where(m, db ? l.number : std::nullopt).size());
      type_w = std::max(type_w, m.type.size());
    }
    std::printf("  %-*s  %-*s  %-*s  %s\n", static_cast<int>(name_w), "name",
                static_cast<int>(where_w), db ? "address" : "offset", static_cast<int>(type_w),
                "type", "size");
    for (const auto& m : l.members) {
      const std::string name = std::string(2 * static_cast<std::size_t>(m.depth), ' ') + m.path;
      std::printf("  %-*s  %-*s  %-*s  %s\n", static_cast<int>(name_w), name.c_str(),
                  static_cast<int>(where_w), where(m, db ? l.number : std::nullopt).c_str(),
                  static_cast<int>(type_w), m.type.c_str(), size_text(m).c_str());
    }
  }
  if (!table.tags().empty()) {
    if (!first) std::printf("\n");
    std::printf("Tag table symbols:\n");
    for (const auto& t : table.tags()) {
      if (!t.address) continue;
      std::printf("  %-24s  %-14s  %-10s  %s\n", t.name.c_str(), s7::to_string(*t.address).c_str(),
                  t.type.c_str(), t.comment.c_str());
    }
  }
}

void print_toml(const symbols::SymbolTable& table) {
  std::printf("# [[tag]] tables for s7log run --config (from s7log symbols --toml, %s).\n",
              std::string(symbols::to_string(table.cpu())).c_str());
  std::printf("# Or keep the symbols: symbols = [...] and address = '\"DB\".member'.\n");
  for (const auto& l : table.layouts()) {
    if (l.kind != symbols::Block::Kind::data_block) continue;
    std::printf("\n# DB \"%s\" (DB%u, %s)\n", l.block.c_str(), l.number.value_or(0),
                l.file.c_str());
    for (const auto& m : l.members) {
      if (!m.address) continue;
      std::printf("\n[[tag]]\nname = %s\naddress = %s\n", toml_string(m.path).c_str(),
                  toml_string(s7::to_string(*m.address)).c_str());
    }
  }
  bool header = false;
  for (const auto& t : table.tags()) {
    if (!t.address || !s7::check_readable(*t.address)) continue;
    if (!header) std::printf("\n# Tag table symbols\n");
    header = true;
    std::printf("\n[[tag]]\nname = %s\naddress = %s\n", toml_string(t.name).c_str(),
                toml_string(s7::to_string(*t.address)).c_str());
  }
}

int run_symbols(const SymbolsArgs& a) {
  auto table = load_symbol_args(a.symbols);
  if (!table) {
    print_error("s7log symbols", table.error().what());
    return kExitUsage;
  }
  if (a.toml)
    print_toml(**table);
  else
    print_table(**table);
  return kExitOk;
}

}  // namespace

void register_symbols(CLI::App& app, Runner& selected) {
  auto a = std::make_shared<SymbolsArgs>();
  auto* cmd = app.add_subcommand(
      "symbols", "Show the addresses of a PLC program's DBs from their sources (no PLC needed)");
  cmd->add_option("FILE", a->symbols.files,
                  "DB/UDT/FB sources (TIA Portal: .db .udt .scl; STEP 7: .awl) and tag tables "
                  "(.sdf .asc, TIA's table saved as .csv)")
      ->required();
  add_symbol_options(*cmd, a->symbols, false);
  cmd->add_flag("--toml", a->toml,
                "print [[tag]] tables for a logger config: one per elementary member or array");
  cmd->footer(
      "Examples:\n"
      "  s7log symbols Telemetry.db --db-number 1\n"
      "  s7log symbols Plant.db Motor.udt --db-number Plant=5 --cpu 1500 --toml >> logger.toml\n"
      "See docs/symbols.md for what is read and the layout rules.\n"
      "Exit codes: 0 ok, 2 a source or option is wrong (the message names file and line).\n");
  cmd->callback([a, &selected] { selected = [a] { return run_symbols(*a); }; });
}

}  // namespace app
