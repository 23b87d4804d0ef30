// Fuzz target: DB/UDT/FB sources through the parser, the layout for two CPU families and the
// symbol table (any bytes must give blocks or a file:line error, never crash or hang; every
// address a layout gives is a valid S7 address inside the block).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "s7/address.hpp"
#include "symbols/db_source.hpp"
#include "symbols/layout.hpp"
#include "symbols/symbol_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto blocks = symbols::parse_source(text, "fuzz.db");
  if (!blocks) {
    if (blocks.error().what().rfind("fuzz.db:", 0) != 0) __builtin_trap();  // names the file
    return 0;
  }
  for (auto cpu : {symbols::CpuFamily::s7_300, symbols::CpuFamily::s7_1500}) {
    for (const auto& b : *blocks) {
      if (b.kind == symbols::Block::Kind::function_block) continue;
      auto l = symbols::lay_out(b, *blocks, cpu, std::uint16_t{1});
      if (!l) {
        if (l.error().what().rfind("fuzz.db:", 0) != 0) __builtin_trap();
        continue;
      }
      if (l->size % 2 != 0) __builtin_trap();  // blocks take an even number of bytes
      for (const auto& m : l->members) {
        if (m.offset + m.size > l->size) __builtin_trap();
        if (!m.address) continue;
        if (m.address->offset + s7::byte_size(*m.address) > l->size) __builtin_trap();
        if (m.address->db == 0) continue;  // a UDT: offsets relative, no DB
        auto back = s7::parse_address(s7::to_string(*m.address));
        if (!back || !(*back == *m.address)) __builtin_trap();
      }
    }
  }
  // The symbol table over the same text: every DB numbered, each member resolved.
  symbols::SymbolTable table;
  if (!table.add_file(text, "fuzz.db")) return 0;  // duplicate block names
  std::uint16_t n = 1;
  for (const auto& b : *blocks)
    if (b.kind == symbols::Block::Kind::data_block && !b.number) table.set_db_number(b.name, n++);
  if (!table.finish()) return 0;
  int budget = 200;
  for (const auto& l : table.layouts()) {
    if (l.kind != symbols::Block::Kind::data_block) continue;
    for (const auto& m : l.members) {
      if (--budget < 0) return 0;
      auto r = table.resolve("\"" + l.block + "\"." + m.path);
      (void)r;
    }
  }
  return 0;
}
