// Fuzz target: s7log CSV files read back as `s7log plot` reads them (parse_csv_file, then every
// cell interpreted in the file's dialect): any bytes give a table or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logger/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = logger::parse_csv_file(text);
  if (!file) {
    if (!file.error().is(s7::Errc::invalid_argument)) __builtin_trap();
    return 0;
  }
  for (const auto& row : file->rows) {
    if (row.cells.size() != file->columns.size()) __builtin_trap();  // one cell per column
    for (const auto& cell : row.cells) {
      const auto c = logger::interpret_cell(cell, file->dialect);
      if (c.kind != logger::CsvCellKind::text && !c.text.empty()) __builtin_trap();
    }
  }
  return 0;
}
